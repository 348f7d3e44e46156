package org.xenomarket.market.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The package graph in docs/architecture.md is the one the code has: the committed block equals
 * what {@code docs/package-graph.sh --print} draws from the classes just compiled. When it fails,
 * run {@code docs/package-graph.sh} and commit the doc.
 */
class PackageGraphTest {

    /** Surefire runs in the module's folder. */
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final String BEGIN = "<!-- package-graph:begin -->";
    private static final String END = "<!-- package-graph:end -->";

    @Test
    void theArchitecturePageShowsThePackageGraphOfTheCompiledCode() throws Exception {
        String drawn = drawnFromClasses();
        assertTrue(drawn.contains(" --> "), "the script drew no edge at all:\n" + drawn);
        assertEquals(drawn, committed(), "docs/architecture.md's package graph is not the code's: "
                + "run docs/package-graph.sh and commit the doc");
    }

    private static String committed() throws IOException {
        String doc = Files.readString(REPOSITORY.resolve("docs/architecture.md"), StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/architecture.md has the package-graph markers");
        return doc.substring(begin + BEGIN.length(), end).strip();
    }

    private static String drawnFromClasses() throws IOException, InterruptedException {
        ProcessBuilder script = new ProcessBuilder("bash", REPOSITORY.resolve("docs/package-graph.sh").toString(),
                "--print").redirectErrorStream(true);
        // The JDK running the tests has jdeps; the PATH of a build machine need not.
        script.environment().put("JDEPS", Path.of(System.getProperty("java.home"), "bin", "jdeps").toString());
        script.environment().put("CLASSES", Path.of("target", "classes").toAbsolutePath().toString());
        Process process = script.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the script finished");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "docs/package-graph.sh --print failed:\n" + text);
        return text.strip();
    }
}
