package org.xenomarket.vmm.hypervisor.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.SavedGuest;

/**
 * The file a save writes beside the state file ({@code <state file>.manifest}): the length and
 * SHA-256 of the state and of the disk as they were written, so a restore on another node refuses
 * files that were truncated or damaged on the way instead of resuming a guest from them. It catches
 * damage, not tampering: whoever can change the files can change the manifest too.
 *
 * @param savedLease the lease whose guest was saved
 * @param domainType libvirt's domain type of the saved guest (kvm, qemu)
 * @param state      the state file as written
 * @param disk       the disk file as written
 */
record SaveManifest(LeaseId savedLease, String domainType, FileDigest state, FileDigest disk) {

    static final String SUFFIX = ".manifest";
    private static final String FORMAT = "xenomarket-saved-guest/1";

    /** A file's length and SHA-256 (lower-case hex). */
    record FileDigest(long length, String sha256) {

        static FileDigest of(Path file) throws IOException {
            MessageDigest digest = newSha256();
            long length = 0;
            byte[] buffer = new byte[1 << 20];
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    length += n;
                }
            }
            return new FileDigest(length, HexFormat.of().formatHex(digest.digest()));
        }
    }

    /** The saved files were not what the save wrote, or cannot be told to be; the message says which and how. */
    static final class Damaged extends IOException {
        Damaged(String message) {
            super(message);
        }
    }

    /** Where the manifest of a state file lives. */
    static Path of(Path stateFile) {
        return stateFile.resolveSibling(stateFile.getFileName() + SUFFIX);
    }

    /** Hashes the saved files and writes their manifest beside the state file, atomically and durably. */
    static SaveManifest write(SavedGuest saved, String domainType) throws IOException {
        SaveManifest manifest = new SaveManifest(saved.lease(), domainType, FileDigest.of(saved.stateFile()),
                FileDigest.of(saved.diskFile()));
        Properties properties = new Properties();
        properties.setProperty("format", FORMAT);
        properties.setProperty("lease", saved.lease().value());
        properties.setProperty("domain-type", domainType);
        properties.setProperty("state.length", Long.toString(manifest.state.length()));
        properties.setProperty("state.sha256", manifest.state.sha256());
        properties.setProperty("disk.length", Long.toString(manifest.disk.length()));
        properties.setProperty("disk.sha256", manifest.disk.sha256());
        Path target = of(saved.stateFile());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            properties.store(out, "XenoMarket saved guest: a restore refuses the files if a length or SHA-256 differs");
        }
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return manifest;
    }

    /** Reads the manifest of {@code saved} and checks both files against it; the manifest if they match. */
    static SaveManifest verify(SavedGuest saved) throws IOException {
        SaveManifest manifest = read(of(saved.stateFile()));
        check("state file", saved.stateFile(), manifest.state);
        check("disk file", saved.diskFile(), manifest.disk);
        return manifest;
    }

    static SaveManifest read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new Damaged("no manifest " + file + " beside the state file (a save writes it): cannot tell the saved"
                    + " files are whole; move it with them");
        }
        if (!FORMAT.equals(properties.getProperty("format"))) {
            throw new Damaged("manifest " + file + " is not a " + FORMAT + " manifest (format="
                    + properties.getProperty("format") + ")");
        }
        try {
            return new SaveManifest(LeaseId.of(required(properties, file, "lease")),
                    required(properties, file, "domain-type"),
                    new FileDigest(Long.parseLong(required(properties, file, "state.length")),
                            required(properties, file, "state.sha256")),
                    new FileDigest(Long.parseLong(required(properties, file, "disk.length")),
                            required(properties, file, "disk.sha256")));
        } catch (IllegalArgumentException e) {
            throw new Damaged("manifest " + file + " is damaged: " + e.getMessage());
        }
    }

    private static String required(Properties properties, Path file, String key) throws Damaged {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new Damaged("manifest " + file + " is damaged: it has no " + key);
        }
        return value.strip();
    }

    private static void check(String what, Path file, FileDigest expected) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new Damaged("saved " + what + " " + file + " is missing");
        }
        // The length first: a truncated copy, the likeliest damage, is named without reading gigabytes.
        long length = Files.size(file);
        if (length != expected.length()) {
            throw new Damaged("saved " + what + " " + file + " is damaged: " + length + " bytes where the save wrote "
                    + expected.length());
        }
        FileDigest actual = FileDigest.of(file);
        if (!actual.sha256().equals(expected.sha256())) {
            throw new Damaged("saved " + what + " " + file + " is damaged: SHA-256 " + actual.sha256()
                    + " where the save wrote " + expected.sha256());
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
