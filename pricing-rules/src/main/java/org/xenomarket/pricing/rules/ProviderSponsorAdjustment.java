package org.xenomarket.pricing.rules;

import java.math.BigDecimal;

/**
 * Fact: the discount (negative) or surcharge (positive) a server's provider gives one sponsor account,
 * as a signed fraction of every unit price.
 */
public final class ProviderSponsorAdjustment {

    private final String serverId;
    private final String sponsorId;
    private final BigDecimal adjustment;

    public ProviderSponsorAdjustment(String serverId, String sponsorId, BigDecimal adjustment) {
        this.serverId = serverId;
        this.sponsorId = sponsorId;
        this.adjustment = adjustment;
    }

    public String getServerId() {
        return serverId;
    }

    public String getSponsorId() {
        return sponsorId;
    }

    public BigDecimal getAdjustment() {
        return adjustment;
    }
}
