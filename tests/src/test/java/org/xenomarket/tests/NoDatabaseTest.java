package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With no PostgreSQL and no embedded fallback allowed, the market stops with one clear paragraph. */
class NoDatabaseTest {

    @Test
    void marketSaysWhatItTriedAndWhatToSetThenExits() throws Exception {
        Path log = Files.createTempFile("xenomarket-nodb", ".log");
        int exit = MarketProcess.runToExit(log, List.of("-Dxenomarket.database.host=127.0.0.1",
                "-Dxenomarket.database.port=" + MarketProcess.freePort()), Duration.ofMinutes(2));
        String output = Files.readString(log);
        assertNotEquals(0, exit, "a market without a database must not run");
        assertTrue(output.contains("The market could not reach PostgreSQL at 127.0.0.1:"), output);
        assertTrue(output.contains("XENOMARKET_DATABASE_HOST") && output.contains("XENOMARKET_DATABASE_PASSWORD"), output);
        assertTrue(output.contains("./xenomarket-demo"), "points to the demo's embedded fallback: " + output);
    }
}
