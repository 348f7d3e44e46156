package org.xenomarket.metering.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Whole-file replacement and directory sync that survive a crash or power cut at any instant. */
public final class DurableFile {

    private DurableFile() {
    }

    /**
     * Replaces {@code target} with {@code content} so that after a crash it holds either the old or
     * the new content, never a mix: write a temporary sibling, fsync it, rename it over the
     * target (atomic on POSIX), then fsync the directory so the rename itself is durable.
     */
    public static void replace(Path target, byte[] content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(out, ByteBuffer.wrap(content));
            out.force(true);
        }
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(absolute.getParent());
    }

    /** Makes creations, renames and deletions inside {@code directory} durable. */
    public static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            // Some platforms (Windows) cannot open a directory; there the rename is as durable
            // as the file system makes it, which is the best available.
            if (Files.isDirectory(directory) && System.getProperty("os.name", "").startsWith("Windows")) {
                return;
            }
            throw notSupported;
        }
    }

    /** Writes all of {@code bytes}: a channel write may be partial. */
    public static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
