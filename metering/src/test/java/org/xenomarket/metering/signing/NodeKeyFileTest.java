package org.xenomarket.metering.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void theFirstStartCreatesAKeyAndLaterStartsLoadTheSameOne() throws Exception {
        Path file = dir.resolve("keys/node.key");
        KeyPair created = NodeKeyFile.loadOrCreate(file);
        KeyPair loaded = NodeKeyFile.loadOrCreate(file);
        assertEquals(created.getPublic(), loaded.getPublic());
        assertEquals(NodeKeys.privateKeyToBase64(created.getPrivate()), NodeKeys.privateKeyToBase64(loaded.getPrivate()));
    }

    @Test
    void theKeyFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("node.key");
        NodeKeyFile.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void halvesOfDifferentKeysAreRefused() throws Exception {
        Path file = dir.resolve("node.key");
        KeyPair a = NodeKeys.generate();
        KeyPair b = NodeKeys.generate();
        Files.writeString(file, "public=" + NodeKeys.publicKeyToBase64(a.getPublic()) + "\nprivate="
                + NodeKeys.privateKeyToBase64(b.getPrivate()) + "\n");
        assertThrows(InvalidNodeKey.class, () -> NodeKeyFile.load(file));
    }
}
