package org.xenomarket.metering.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceStoreTest {

    @TempDir
    Path dir;

    @Test
    void aNewNodeNumbersFromOneUpwards() throws Exception {
        SequenceStore store = SequenceStore.open(dir.resolve("sequence"), 4);
        assertEquals(1, store.next());
        assertEquals(2, store.next());
        assertEquals(3, store.next());
    }

    @Test
    void aRestartedAgentNeverReusesANumberEvenWithoutAnOrderlyShutdown() throws Exception {
        Path file = dir.resolve("sequence");
        long highest = 0;
        for (int run = 0; run < 5; run++) {
            // No close(): each run ends as abruptly as kill -9 would end it.
            SequenceStore store = SequenceStore.open(file, 3);
            for (int i = 0; i < run + 2; i++) {
                long next = store.next();
                assertTrue(next > highest, next + " must be above " + highest);
                highest = next;
            }
        }
    }

    @Test
    void theStateFileIsWrittenOncePerBlockNotPerNumber() throws Exception {
        Path file = dir.resolve("sequence");
        SequenceStore store = SequenceStore.open(file, 100);
        store.next();
        byte[] afterFirst = Files.readAllBytes(file);
        for (int i = 0; i < 98; i++) {
            store.next();
        }
        assertEquals(java.util.Arrays.toString(afterFirst), java.util.Arrays.toString(Files.readAllBytes(file)));
        assertEquals(100, store.next());
        assertEquals(101, store.next()); // crosses into the next block: rewrites the file
        assertEquals(201, SequenceStore.open(file, 100).next());
    }

    @Test
    void withABlockOfOneTheNumbersStayDenseAcrossRestarts() throws Exception {
        Path file = dir.resolve("sequence");
        assertEquals(1, SequenceStore.open(file, 1).next());
        assertEquals(2, SequenceStore.open(file, 1).next());
        assertEquals(3, SequenceStore.open(file, 1).next());
    }

    @Test
    void theSpoolCanRaiseTheNextNumber() throws Exception {
        SequenceStore store = SequenceStore.open(dir.resolve("sequence"), 10);
        store.raiseTo(500);
        assertEquals(500, store.next());
        store.raiseTo(3); // never lowers
        assertEquals(501, store.next());
        assertEquals(510, SequenceStore.open(dir.resolve("sequence"), 10).next()); // 500..509 were reserved
    }

    @Test
    void aDamagedStateFileStopsTheAgentInsteadOfGuessing() throws Exception {
        Path file = dir.resolve("sequence");
        SequenceStore.open(file, 10).next();
        byte[] bytes = Files.readAllBytes(file);
        bytes[10] ^= 0x40;
        Files.write(file, bytes);
        SequenceStateCorrupt refused = assertThrows(SequenceStateCorrupt.class, () -> SequenceStore.open(file, 10));
        assertTrue(refused.getMessage().contains("checksum"), refused.getMessage());

        Files.write(file, new byte[5]);
        assertThrows(SequenceStateCorrupt.class, () -> SequenceStore.open(file, 10));
    }

    @Test
    void noTemporaryFileIsLeftBehind() throws Exception {
        SequenceStore.open(dir.resolve("sequence"), 10).next();
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of(dir.resolve("sequence")), files.toList());
        }
    }
}
