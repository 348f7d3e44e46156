package org.xenomarket.pricing.rules;

import java.math.BigDecimal;

/**
 * Fact: a server's provider takes {@code discount} off for sponsors that spent at least {@code minSpend}
 * (policy currency) with it over the last {@code windowDays} days.
 */
public final class ProviderLoyaltyTier {

    private final String serverId;
    private final BigDecimal minSpend;
    private final BigDecimal discount;
    private final int windowDays;

    public ProviderLoyaltyTier(String serverId, BigDecimal minSpend, BigDecimal discount, int windowDays) {
        this.serverId = serverId;
        this.minSpend = minSpend;
        this.discount = discount;
        this.windowDays = windowDays;
    }

    public String getServerId() {
        return serverId;
    }

    public BigDecimal getMinSpend() {
        return minSpend;
    }

    public BigDecimal getDiscount() {
        return discount;
    }

    public int getWindowDays() {
        return windowDays;
    }
}
