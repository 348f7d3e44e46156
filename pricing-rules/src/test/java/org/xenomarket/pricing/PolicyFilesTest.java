package org.xenomarket.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Where the DRL files live: a reader finds a rule's file from the package its breakdown names. */
class PolicyFilesTest {

    /** Surefire runs in the module's folder. */
    private static final Path RESOURCES = Path.of("src", "main", "resources");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;?\\s*$");

    @Test
    void everyDrlFileLiesInTheFolderOfThePackageItDeclares() throws IOException {
        Map<Path, String> declared = new TreeMap<>();
        Map<Path, String> folder = new TreeMap<>();
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            for (Path drl : files.filter(f -> f.toString().endsWith(".drl")).toList()) {
                Path relative = RESOURCES.relativize(drl);
                declared.put(relative, declaredPackage(drl));
                folder.put(relative, relative.getParent() == null ? ""
                        : relative.getParent().toString().replace(relative.getFileSystem().getSeparator(), "."));
            }
        }
        // the built-in policy's eight files at least, so an empty walk cannot pass
        assertTrue(declared.size() >= PricingPolicy.builtIn().drlSources().size(), "DRL files found: " + declared.keySet());
        assertEquals(folder, declared);
    }

    @Test
    void theBuiltInPolicyReadsItsDrlFilesFromTheirPackagesFolder() throws IOException {
        for (Map.Entry<String, String> source : PricingPolicy.builtIn().drlSources().entrySet()) {
            Path file = RESOURCES.resolve(PricingPolicy.BUILT_IN_RULES.substring(1)).resolve(source.getKey());
            assertEquals(Files.readString(file, StandardCharsets.UTF_8), source.getValue(), file.toString());
        }
    }

    private static String declaredPackage(Path drl) throws IOException {
        Matcher m = PACKAGE.matcher(Files.readString(drl, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "(no package)";
    }
}
