package org.xenomarket.market.database;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Makes the database ready before anything uses it, so that a user never has to: reaches
 * PostgreSQL (starting an embedded one for demos when allowed and none answers), creates the
 * market's database when missing, and migrates it with Flyway.
 */
@ApplicationScoped
public class DatabaseBootstrap {

    /** Runs before every other startup observer: nothing may touch the database before this. */
    public static final int PRIORITY = 10;

    private static final Logger LOG = Logger.getLogger(DatabaseBootstrap.class);
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1");

    private final DatabaseSettings settings;
    private final Flyway flyway;
    private EmbeddedPostgres embedded;

    public DatabaseBootstrap(DatabaseSettings settings, Flyway flyway) {
        this.settings = settings;
        this.flyway = flyway;
    }

    void onStart(@Observes @Priority(PRIORITY) StartupEvent event) {
        reachServer();
        createDatabaseIfMissing();
        var result = flyway.migrate();
        LOG.infof("Database %s on %s:%d is at schema version %s (%d migrations applied now)", settings.name(),
                settings.host(), settings.port(), flyway.info().current().getVersion(), result.migrationsExecuted);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (embedded != null) {
            LOG.info("Stopping embedded PostgreSQL");
            embedded.stop();
        }
    }

    private void reachServer() {
        SQLException refused;
        try (Connection ignored = connect(settings.maintenanceDatabase())) {
            return;
        } catch (SQLException e) {
            refused = e;
        }
        if (!settings.embedded().enabled() || !LOCAL_HOSTS.contains(settings.host())) {
            throw unavailable(refused, false);
        }
        LOG.infof("No PostgreSQL answers at %s:%d (%s); starting an embedded one", settings.host(),
                settings.port(), refused.getMessage());
        Path directory = settings.embedded().directory().map(Path::of).orElseGet(EmbeddedPostgres::defaultDirectory);
        embedded = new EmbeddedPostgres(directory, settings.port(), settings.embedded().runAsUser());
        try {
            embedded.start();
            try (Connection ignored = connect(settings.maintenanceDatabase())) {
                LOG.infof("Embedded PostgreSQL is up; data in %s", directory.resolve("data"));
            }
        } catch (Exception e) {
            embedded = null;
            e.addSuppressed(refused);
            throw unavailable(e, true);
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = connect(settings.maintenanceDatabase());
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, settings.name());
            try (ResultSet found = exists.executeQuery()) {
                if (found.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + quoteIdentifier(settings.name()));
                LOG.infof("Created database %s", settings.name());
            } catch (SQLException e) {
                // Another market instance may have created it at the same moment.
                if (!SqlStates.DUPLICATE_DATABASE.equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailable("Could not create database '" + settings.name() + "' on "
                    + settings.host() + ":" + settings.port() + " as user '" + settings.user() + "': "
                    + e.getMessage() + ". Create it yourself, or give a user that may (XENOMARKET_DATABASE_USER).", e);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        settings.password().ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(
                "jdbc:postgresql://" + settings.host() + ":" + settings.port() + "/" + database, properties);
    }

    private DatabaseUnavailable unavailable(Exception cause, boolean triedEmbedded) {
        String tried = "The market could not reach PostgreSQL at " + settings.host() + ":" + settings.port()
                + " as user '" + settings.user() + "' (" + cause.getMessage() + ")"
                + (triedEmbedded ? ", and starting an embedded PostgreSQL failed too" : "") + ". ";
        String what = "Start PostgreSQL there, or point the market at yours with XENOMARKET_DATABASE_HOST, "
                + "XENOMARKET_DATABASE_PORT, XENOMARKET_DATABASE_USER and XENOMARKET_DATABASE_PASSWORD"
                + (triedEmbedded ? "; the embedded server's log is under " + settings.embedded().directory()
                        .orElse(EmbeddedPostgres.defaultDirectory().toString()) + "/log"
                        : "; or run the demo (./xenomarket-demo), which starts an embedded PostgreSQL when none answers")
                + ".";
        LOG.error(tried + what);
        return new DatabaseUnavailable(tried + what, cause);
    }

    private static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
