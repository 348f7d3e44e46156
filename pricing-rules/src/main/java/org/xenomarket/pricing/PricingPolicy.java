package org.xenomarket.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A versioned pricing policy: DRL sources (file name to text; operators only) and the tables the rules
 * read (providers and finance). Immutable; {@link #checksum()} identifies its exact content.
 */
public record PricingPolicy(String version, Map<String, String> drlSources, PolicyTables tables) {

    /** Classpath folder of the built-in policy; {@code policy.properties} there lists its files. */
    static final String BUILT_IN = "/org/xenomarket/pricing/policy/";
    /**
     * Classpath folder of the built-in policy's DRL files: the folder of the package they declare
     * ({@code org.xenomarket.pricing.rules}, the package of the facts they read).
     */
    static final String BUILT_IN_RULES = "/org/xenomarket/pricing/rules/";

    public PricingPolicy {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(tables, "tables");
        if (drlSources == null || drlSources.isEmpty()) {
            throw new IllegalArgumentException("a policy needs at least one DRL source");
        }
        // sorted, so that the checksum and the compile order do not depend on map order
        drlSources = java.util.Collections.unmodifiableMap(new TreeMap<>(drlSources));
    }

    /** The default policy shipped with this library. */
    public static PricingPolicy builtIn() {
        return load(name -> classpathText(BUILT_IN + name), name -> classpathText(BUILT_IN_RULES + name));
    }

    private static String classpathText(String path) {
        try (InputStream in = PricingPolicy.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("built-in policy file missing from the classpath: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A policy from one folder holding policy.properties, the DRL files it lists and the tables. */
    public static PricingPolicy fromDirectory(Path folder) {
        Function<String, String> files = name -> {
            try {
                return Files.readString(folder.resolve(name), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return load(files, files);
    }

    /** {@code files} reads the manifest and the tables by name, {@code drlFiles} the DRL files it lists. */
    private static PricingPolicy load(Function<String, String> files, Function<String, String> drlFiles) {
        Properties manifest = new Properties();
        try {
            manifest.load(new StringReader(files.apply("policy.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> sources = new LinkedHashMap<>();
        for (String name : manifest.getProperty("rules", "").split(",")) {
            if (!name.isBlank()) {
                sources.put(name.trim(), drlFiles.apply(name.trim()));
            }
        }
        PolicyTables tables = PolicyTables.fromJson(files.apply(manifest.getProperty("tables", "tables.json")));
        return new PricingPolicy(manifest.getProperty("version"), sources, tables);
    }

    /** The same rules with other tables, under a new version: how finance changes prices. */
    public PricingPolicy withTables(String newVersion, PolicyTables newTables) {
        return new PricingPolicy(newVersion, drlSources, newTables);
    }

    /** SHA-256 (hex) over the DRL sources, in name order, and the canonical JSON of the tables. */
    public String checksum() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        drlSources.forEach((name, text) -> {
            sha.update(("drl:" + name + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(text.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        });
        sha.update("tables\n".getBytes(StandardCharsets.UTF_8));
        sha.update(tables.toJson().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }
}
