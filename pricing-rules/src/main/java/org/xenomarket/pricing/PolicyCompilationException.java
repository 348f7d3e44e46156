package org.xenomarket.pricing;

import java.util.List;

/** The DRL of a policy did not compile; carries the compiler's messages with file, line and column. */
public class PolicyCompilationException extends RuntimeException {

    /** One compiler message: the DRL file, the line and column (both from 1; 0 when unknown), and the text. */
    public record Problem(String source, int line, int column, String message) {
        @Override
        public String toString() {
            return source + ":" + line + ":" + column + ": " + message;
        }
    }

    private final List<Problem> problems;

    public PolicyCompilationException(String policyVersion, List<Problem> problems) {
        super("policy " + policyVersion + " does not compile:\n"
                + String.join("\n", problems.stream().map(Problem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
