package org.xenomarket.vmm.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Optional;
import org.xenomarket.metering.signing.NodeKeyFile;
import org.xenomarket.metering.storage.DurableFile;

/**
 * What the node keeps in its state directory: its Ed25519 key ({@code node.key}, created on first
 * start) and the node token the market issued at registration ({@code node-token}). Both are
 * secrets, readable by the owner only.
 */
public final class NodeCredentials {

    static final String KEY_FILE = "node.key";
    static final String TOKEN_FILE = "node-token";
    static final String NODE_ID_FILE = "node-id";

    private final Path stateDir;

    public NodeCredentials(Path stateDir) {
        this.stateDir = stateDir;
    }

    public KeyPair key() throws IOException {
        return NodeKeyFile.loadOrCreate(stateDir.resolve(KEY_FILE));
    }

    public Optional<String> token() throws IOException {
        Path file = stateDir.resolve(TOKEN_FILE);
        return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII).trim()) : Optional.empty();
    }

    /** The node's id as the market named it at registration (what usage records carry), if known. */
    public Optional<String> nodeId() throws IOException {
        Path file = stateDir.resolve(NODE_ID_FILE);
        return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII).trim()) : Optional.empty();
    }

    /** Stores the node id durably; done before the token, so a stored token always has its node id beside it. */
    public void saveNodeId(String nodeId) throws IOException {
        Path file = stateDir.resolve(NODE_ID_FILE).toAbsolutePath();
        Files.createDirectories(file.getParent());
        DurableFile.replace(file, (nodeId + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Stores the token durably before the agent uses it, so a crash right after registering loses nothing. */
    public void saveToken(String token) throws IOException {
        Path file = stateDir.resolve(TOKEN_FILE).toAbsolutePath();
        Files.createDirectories(file.getParent());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        DurableFile.replace(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
