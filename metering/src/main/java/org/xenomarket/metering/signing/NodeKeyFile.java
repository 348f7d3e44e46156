package org.xenomarket.metering.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import org.xenomarket.metering.storage.DurableFile;

/**
 * The agent's key file: its Ed25519 key pair, created once on first start and kept for the life
 * of the node.
 *
 * <p>Text, owner-readable only (0600 where POSIX permissions exist):
 * <pre>
 * # XenoMarket node key (Ed25519). Secret: whoever holds it can sign usage for this node.
 * public=&lt;base64 X.509 SubjectPublicKeyInfo&gt;
 * private=&lt;base64 PKCS#8&gt;
 * </pre>
 */
public final class NodeKeyFile {

    private NodeKeyFile() {
    }

    /** Loads the key pair from {@code file}, or generates and durably writes one if there is none. */
    public static KeyPair loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        KeyPair pair = NodeKeys.generate();
        String text = "# XenoMarket node key (Ed25519). Secret: whoever holds it can sign usage for this node.\n"
                + "public=" + NodeKeys.publicKeyToBase64(pair.getPublic()) + "\n"
                + "private=" + NodeKeys.privateKeyToBase64(pair.getPrivate()) + "\n";
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // Create the temporary file owner-only before the secret is written into it.
            Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        DurableFile.replace(absolute, text.getBytes(StandardCharsets.US_ASCII));
        return pair;
    }

    /** Loads and checks the key pair in {@code file}: the two halves must belong together. */
    public static KeyPair load(Path file) throws IOException {
        Map<String, String> fields = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                fields.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        if (!fields.containsKey("public") || !fields.containsKey("private")) {
            throw new InvalidNodeKey("key file " + file + " lacks a public= or private= line", null);
        }
        PublicKey publicKey = NodeKeys.publicKeyFromBase64(fields.get("public"));
        PrivateKey privateKey = NodeKeys.privateKeyFromBase64(fields.get("private"));
        requireMatching(file, publicKey, privateKey);
        return new KeyPair(publicKey, privateKey);
    }

    private static void requireMatching(Path file, PublicKey publicKey, PrivateKey privateKey) {
        try {
            byte[] probe = "xenomarket node key check".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance(NodeKeys.ALGORITHM);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(NodeKeys.ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new InvalidNodeKey("key file " + file + ": the public key does not belong to the private key", null);
            }
        } catch (GeneralSecurityException broken) {
            throw new InvalidNodeKey("key file " + file + " holds unusable keys", broken);
        }
    }
}
