package org.xenomarket.portal.policy;

import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One DRL source of a policy as the editor shows it: its text, and the compiler's messages placed at
 * their lines. The market reports each problem as field {@code drlSources.<source>} with a message
 * starting {@code line N, column M: ...}; that line number is what puts it next to its line here.
 */
@TemplateData
public record DrlSource(String name, String text, List<Line> lines, List<Message> messages) {

    private static final Pattern AT = Pattern.compile("^line (\\d+), column (\\d+): (.*)$", Pattern.DOTALL);

    /** A compiler message: the line (0 when the compiler named none), the column and the text. */
    @TemplateData
    public record Message(int line, int column, String text) {
    }

    /** One numbered line of the source with the messages about it. */
    @TemplateData
    public record Line(int number, String text, List<Message> messages) {
        public boolean faulty() {
            return !messages.isEmpty();
        }
    }

    public boolean faulty() {
        return !messages.isEmpty();
    }

    /** The source with no messages. */
    public static DrlSource clean(String name, String text) {
        return of(name, text, List.of());
    }

    /** The source with the market's messages about it; {@code raw} are the problem's messages for its field. */
    public static DrlSource of(String name, String text, List<String> raw) {
        List<Message> messages = raw.stream().map(DrlSource::message).toList();
        String[] split = text.split("\n", -1);
        Map<Integer, List<Message>> byLine = new LinkedHashMap<>();
        messages.forEach(m -> byLine.computeIfAbsent(m.line(), n -> new ArrayList<>()).add(m));
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < split.length; i++) {
            lines.add(new Line(i + 1, split[i], byLine.getOrDefault(i + 1, List.of())));
        }
        return new DrlSource(name, text, lines, messages);
    }

    static Message message(String raw) {
        Matcher at = AT.matcher(raw);
        if (at.matches()) {
            return new Message(Integer.parseInt(at.group(1)), Integer.parseInt(at.group(2)), at.group(3).strip());
        }
        return new Message(0, 0, raw);
    }

    /** Whether the market's field ({@code drlSources.rules/base.drl}, or a longer path) names this source. */
    boolean isNamedBy(String field) {
        if (!field.startsWith("drlSources.")) {
            return false;
        }
        String source = field.substring("drlSources.".length());
        return source.equals(name) || source.endsWith("/" + name) || name.endsWith("/" + source);
    }
}
