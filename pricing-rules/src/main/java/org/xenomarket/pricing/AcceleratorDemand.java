package org.xenomarket.pricing;

import java.util.Objects;

/** Whole accelerator devices (GPUs) of one catalogue model that a request asks for. */
public record AcceleratorDemand(String model, int count) {

    /** The most devices of one model a request, or a server's listing, may name. */
    public static final int MAX_COUNT = 16;

    public AcceleratorDemand {
        Objects.requireNonNull(model, "model");
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("accelerator count must be 1.." + MAX_COUNT + ": " + count);
        }
    }
}
