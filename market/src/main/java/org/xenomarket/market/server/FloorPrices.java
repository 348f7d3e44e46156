package org.xenomarket.market.server;

import java.math.BigDecimal;

/**
 * The least a provider accepts per unit, in {@code currency}; zero is no floor. {@code currency}
 * is null only for {@link #NONE}, which is in whatever currency the market prices.
 */
public record FloorPrices(String currency, BigDecimal vcpuHour, BigDecimal memoryGibHour, BigDecimal diskGibHour,
                          BigDecimal egressGb) {

    /** No floors at all. */
    public static final FloorPrices NONE = new FloorPrices(null, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
            BigDecimal.ZERO);
}
