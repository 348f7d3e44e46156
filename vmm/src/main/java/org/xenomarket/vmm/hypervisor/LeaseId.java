package org.xenomarket.vmm.hypervisor;

import java.util.Objects;
import java.util.regex.Pattern;

/** The market's identifier of a lease; names the one guest that runs for it. */
public record LeaseId(String value) {

    // The id becomes part of a libvirt domain name and a directory name, so it is kept to a
    // conservative alphabet rather than escaped in each place it is used.
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public LeaseId {
        Objects.requireNonNull(value, "lease id");
        if (!SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "lease id must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit: " + value);
        }
    }

    public static LeaseId of(String value) {
        return new LeaseId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
