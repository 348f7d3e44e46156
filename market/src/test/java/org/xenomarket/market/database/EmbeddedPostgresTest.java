package org.xenomarket.market.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's fallback database: real PostgreSQL binaries from Maven Central, unpacked, initialised
 * and started, also when the tests run as root (the server then runs as 'nobody').
 */
class EmbeddedPostgresTest {

    private Path base;
    private int port;
    private EmbeddedPostgres postgres;

    @BeforeEach
    void freePortAndDirectory() throws IOException {
        // World-enterable, so that 'nobody' can reach its data when the tests run as root.
        base = Files.createTempDirectory("xenomarket-pg-test",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        postgres = new EmbeddedPostgres(base, port, "nobody");
    }

    @AfterEach
    void stopAndRemove() throws IOException {
        postgres.stop();
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void startsAServerThatTakesConnectionsAndKeepsDataAcrossRestarts() throws Exception {
        assertThrows(SQLException.class, this::connect, "nothing listens before start");
        postgres.start();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (n integer)");
            statement.execute("INSERT INTO kept VALUES (42)");
            try (ResultSet version = statement.executeQuery("SHOW server_version")) {
                version.next();
                assertTrue(version.getString(1).startsWith("17."), "PostgreSQL 17 from the binaries artifact");
            }
        }
        postgres.stop();
        assertThrows(SQLException.class, this::connect, "stopped");

        postgres.start();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet kept = statement.executeQuery("SELECT n FROM kept")) {
            kept.next();
            assertEquals(42, kept.getInt(1), "the data directory survived the restart");
        }
        assertTrue(Files.exists(base.resolve("data/PG_VERSION")));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=3",
                "postgres", "");
    }
}
