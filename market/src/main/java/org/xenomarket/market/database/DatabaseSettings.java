package org.xenomarket.market.database;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Where the market's PostgreSQL is, under {@code xenomarket.database.*} (environment:
 * {@code XENOMARKET_DATABASE_HOST}, {@code _PORT}, {@code _NAME}, {@code _USER}, {@code _PASSWORD}).
 * The Quarkus datasource URLs are built from these in application.properties.
 */
@ConfigMapping(prefix = "xenomarket.database")
public interface DatabaseSettings {

    @WithDefault("localhost")
    String host();

    @WithDefault("5432")
    int port();

    /** The market's database; created on start when missing. */
    @WithDefault("xenomarket")
    String name();

    @WithDefault("postgres")
    String user();

    Optional<String> password();

    /** The database connected to while the market's own may not exist yet. */
    @WithDefault("postgres")
    String maintenanceDatabase();

    Embedded embedded();

    /** The fallback for demos: a PostgreSQL the market starts itself when none answers. */
    interface Embedded {

        /** Whether to start an embedded PostgreSQL when none answers at host:port (local hosts only). */
        @WithDefault("false")
        boolean enabled();

        /**
         * Where binaries, data and logs go. Default: ~/.xenomarket/postgres, or
         * /var/lib/xenomarket/postgres when running as root (PostgreSQL then runs as 'nobody',
         * which cannot enter /root).
         */
        Optional<String> directory();

        /** The unprivileged user PostgreSQL runs as when the market runs as root. */
        @WithDefault("nobody")
        String runAsUser();
    }
}
