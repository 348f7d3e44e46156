package org.xenomarket.vmm.config;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.xenomarket.vmm.agent.SettingsFile;

/**
 * The agent's config mappings read from given keys and an environment as the Quarkus runtime reads
 * them (Quarkus's converters, expressions, the environment's names and precedence, the provider's
 * settings file), without booting Quarkus, so each test can try other values.
 */
public final class Settings {

    private Settings() {
    }

    /** Reads {@code mapping} from the keys; throws ConfigValidationException as the agent's start would. */
    public static <T> T read(Class<T> mapping, Map<String, String> keys) {
        return read(mapping, keys, Map.of());
    }

    /** Reads {@code mapping} from the keys (at application.properties' precedence) and an environment. */
    public static <T> T read(Class<T> mapping, Map<String, String> keys, Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredConverters()
                .withSources(new PropertiesConfigSource(keys, "the test's keys", 250),
                        new EnvConfigSource(environment, 300))
                .withSources(new SettingsFile())
                .withMapping(mapping)
                .build();
        return config.getConfigMapping(mapping);
    }
}
