package org.xenomarket.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys an application module reads, found in its own files: the keys of its
 * {@code application.properties} (set, set per profile, or documented in a comment as
 * {@code # key=default}), the keys its properties refer to ({@code ${xenomarket.log.json:false}}),
 * the names of its {@code @ConfigProperty}s, and every leaf of its {@code @ConfigMapping}
 * interfaces (method names in kebab case, nested groups by their method's name), as SmallRye
 * Config maps them. Also the environment variables the module reads by name in a default
 * ({@code ${XENOMARKET_PROVIDER_TOKEN:}}).
 */
final class ModuleConfigKeys {

    private static final Pattern PROPERTY_LINE = Pattern.compile("^#?\\s*(%[\\w-]+\\.)?([a-z][\\w.\\-\"]*)\\s*=.*$");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([a-z][\\w.\\-]*)[:}]");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern MAPPING_PREFIX = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)");
    private static final Pattern ACCESSOR = Pattern.compile("^\\s*([\\w.]+(?:<[\\w.<>, ?]+>)?)\\s+(\\w+)\\(\\);");

    final String module;
    final Set<String> properties = new TreeSet<>();
    final Set<String> environmentNames = new TreeSet<>();

    private ModuleConfigKeys(String module) {
        this.module = module;
    }

    static ModuleConfigKeys of(Path root, String module) {
        ModuleConfigKeys keys = new ModuleConfigKeys(module);
        Path moduleDir = root.resolve(module);
        Path properties = moduleDir.resolve("src/main/resources/application.properties");
        try {
            if (Files.exists(properties)) {
                keys.readProperties(Files.readAllLines(properties));
            }
            try (Stream<Path> sources = Files.walk(moduleDir.resolve("src/main/java"))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    keys.readSource(Files.readString(source));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    /** The environment variable SmallRye Config reads a property from: non-alphanumerics to '_', upper case. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The property this environment variable sets in this module, or null when it sets none. */
    String propertyOf(String environmentVariable) {
        return properties.stream().filter(p -> environmentName(p).equals(environmentVariable)).findFirst().orElse(null);
    }

    boolean reads(String environmentVariable) {
        return propertyOf(environmentVariable) != null || environmentNames.contains(environmentVariable);
    }

    private void readProperties(List<String> lines) {
        for (String line : lines) {
            Matcher property = PROPERTY_LINE.matcher(line.trim());
            if (property.matches() && property.group(2).contains(".")) {
                properties.add(property.group(2));
            }
            collect(REFERENCE, line, properties);
            collect(ENV_REFERENCE, line, environmentNames);
        }
    }

    private void readSource(String source) {
        collect(CONFIG_PROPERTY, source, properties);
        collect(ENV_REFERENCE, source, environmentNames);
        Matcher prefix = MAPPING_PREFIX.matcher(source);
        if (prefix.find()) {
            Map<String, List<String[]>> interfaces = interfacesOf(source);
            Matcher root = INTERFACE.matcher(source);
            if (root.find(prefix.end())) {
                expand(prefix.group(1), root.group(1), interfaces);
            }
        }
    }

    /** Each interface of the file with its accessors (type, name), by brace depth. */
    private static Map<String, List<String[]>> interfacesOf(String source) {
        Map<String, List<String[]>> interfaces = new HashMap<>();
        List<String> open = new ArrayList<>(); // the interface at each depth, or null
        for (String line : source.split("\n")) {
            Matcher declared = INTERFACE.matcher(line);
            String current = open.isEmpty() ? null : open.get(open.size() - 1);
            Matcher accessor = ACCESSOR.matcher(line);
            if (current != null && accessor.find()) {
                interfaces.get(current).add(new String[]{accessor.group(1), accessor.group(2)});
            }
            for (char c : line.toCharArray()) {
                if (c == '{') {
                    if (declared.find()) {
                        interfaces.putIfAbsent(declared.group(1), new ArrayList<>());
                        open.add(declared.group(1));
                    } else {
                        open.add(null);
                    }
                } else if (c == '}' && !open.isEmpty()) {
                    open.remove(open.size() - 1);
                }
            }
        }
        return interfaces;
    }

    private void expand(String prefix, String type, Map<String, List<String[]>> interfaces) {
        for (String[] accessor : interfaces.getOrDefault(type, List.of())) {
            String key = prefix + "." + kebab(accessor[1]);
            String valueType = accessor[0].replaceAll("^Optional<(.*)>$", "$1");
            if (interfaces.containsKey(valueType)) {
                expand(key, valueType, interfaces);
            } else {
                properties.add(key);
            }
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static void collect(Pattern pattern, String text, Set<String> into) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }
}
