package org.xenomarket.vmm.config;

/** A configuration value the agent cannot start with; names the key at fault. */
public class InvalidVmmConfig extends IllegalArgumentException {

    private final String key;

    public InvalidVmmConfig(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
