package org.xenomarket.vmm.hypervisor.libvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The host's {@code qemu-img} (Debian: {@code qemu-utils}), for what libvirt does not do: writing
 * a guest's disk as one self-contained qcow2 file, and reading what a disk file is.
 */
final class QemuImg {

    /** A disk file as {@code qemu-img info} sees it. */
    record Info(String format, Optional<String> backingFile, long virtualSize) {
    }

    /** qemu-img is missing, refused, or took too long; the message says which, with its own words. */
    static final class Failed extends IOException {
        Failed(String message) {
            super(message);
        }

        Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INFO_TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;
    private final Duration convertTimeout;

    private QemuImg(Path binary, Duration convertTimeout) {
        this.binary = binary;
        this.convertTimeout = convertTimeout;
    }

    /**
     * The qemu-img on the PATH or in the system directories. {@code convertTimeout} bounds one
     * flattening, which reads the whole disk: allow for the largest disk the host leases.
     */
    static QemuImg find(Duration convertTimeout) throws Failed {
        return HostCommand.find("qemu-img", HostCommand.searchPath())
                .map(binary -> new QemuImg(binary, convertTimeout))
                .orElseThrow(() -> new Failed("qemu-img is not installed (Debian package qemu-utils), and moving a"
                        + " guest needs it to make its disk self-contained"));
    }

    /**
     * Writes {@code source} (in libvirt's format name {@code sourceFormat}) into {@code target} as a
     * qcow2 file with no backing file: the data of every backing layer is copied in, unwritten areas
     * stay unallocated.
     */
    void flatten(Path source, String sourceFormat, Path target) throws Failed {
        run(convertTimeout, "flatten " + source, List.of(binary.toString(), "convert", "-f", sourceFormat, "-O", "qcow2",
                source.toString(), target.toString()));
    }

    /** What {@code file} is: its format as qemu-img detects it, its backing file if any, its size seen by the guest. */
    Info info(Path file) throws Failed {
        String output = run(INFO_TIMEOUT, "read " + file,
                List.of(binary.toString(), "info", "--output=json", file.toString()));
        try {
            JsonNode info = JSON.readTree(output);
            JsonNode backing = info.path("backing-filename");
            return new Info(info.path("format").asText(""),
                    backing.isMissingNode() || backing.isNull() ? Optional.empty() : Optional.of(backing.asText()),
                    info.path("virtual-size").asLong(0));
        } catch (IOException e) {
            throw new Failed("qemu-img info on " + file + " printed no JSON: " + output.strip(), e);
        }
    }

    private String run(Duration timeout, String what, List<String> command) throws Failed {
        HostCommand.Result result;
        try {
            result = HostCommand.run(timeout, command);
        } catch (IOException e) {
            throw new Failed("cannot run " + binary + " to " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while qemu-img was to " + what, e);
        }
        if (!result.succeeded()) {
            throw new Failed("qemu-img could not " + what + " (" + String.join(" ", command.subList(1, command.size()))
                    + "): " + result.said());
        }
        return result.output();
    }
}
