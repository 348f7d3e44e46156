package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A host program (ip, tc) run without a shell, with a time limit, its output and errors read
 * together: what a provider would read in a terminal.
 */
final class HostCommand {

    /** Where Debian and Ubuntu keep iproute2; a service's PATH may lack the sbin ones. */
    static final List<Path> SYSTEM_DIRECTORIES =
            List.of(Path.of("/usr/sbin"), Path.of("/sbin"), Path.of("/usr/bin"), Path.of("/bin"));

    /** How a command ended: its exit code (-1 when it was killed for running too long) and what it printed. */
    record Result(int exitCode, String output, boolean timedOut) {

        boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }

        /** The output on one line, for a message, or how the command ended when it said nothing. */
        String said() {
            if (timedOut) {
                return "no answer within the time limit";
            }
            String text = output.strip().replaceAll("\\s*\\R\\s*", " ");
            return text.isEmpty() ? "exit code " + exitCode : text;
        }
    }

    private HostCommand() {
    }

    /** The executable {@code name} in {@code directories}, first match. */
    static Optional<Path> find(String name, List<Path> directories) {
        return directories.stream().map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    /** The PATH's directories, then the usual system ones. */
    static List<Path> searchPath() {
        List<Path> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(":")) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        directories.addAll(SYSTEM_DIRECTORIES);
        return directories;
    }

    static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read on another thread, so a chatty command cannot block on a full pipe past the time limit.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            return new Result(-1, "", true);
        }
        try {
            return new Result(process.exitValue(), output.get(5, TimeUnit.SECONDS), false);
        } catch (ExecutionException | TimeoutException e) {
            return new Result(process.exitValue(), "(output unreadable: " + e.getMessage() + ")", false);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
