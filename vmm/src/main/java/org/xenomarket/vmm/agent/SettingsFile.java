package org.xenomarket.vmm.agent;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The provider's settings file, {@code xenomarket.settings-file} (the agent's argument, see
 * {@link AgentMain}), as a config source between {@code config/application.properties} (260) and
 * the environment (300), so environment variables and -D options override it as they always did.
 * (A file given by {@code quarkus.config.locations} would take the precedence of where that is set:
 * given by -D, it would override the -D options.)
 */
public class SettingsFile implements ConfigSourceFactory {

    /** The key naming the file. */
    public static final String KEY = "xenomarket.settings-file";

    static final int ORDINAL = 270;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue file = context.getValue(KEY);
        if (file == null || file.getValue() == null || file.getValue().isBlank()) {
            return List.of();
        }
        try {
            return List.of(new PropertiesConfigSource(Path.of(file.getValue()).toUri().toURL(), ORDINAL));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the settings file " + file.getValue(), e);
        }
    }
}
