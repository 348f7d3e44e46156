package org.xenomarket.pricing.rules;

import java.math.BigDecimal;

/**
 * Fact: a sponsor's commitment and the discount it earns. {@code sponsorId} is the sponsor's account id, as
 * the market passes it with every quote and bid ({@code QuoteRequest.sponsorId}); any other key never fires.
 */
public final class SponsorCommitment {

    private final String sponsorId;
    private final BigDecimal discount;

    public SponsorCommitment(String sponsorId, BigDecimal discount) {
        this.sponsorId = sponsorId;
        this.discount = discount;
    }

    public String getSponsorId() {
        return sponsorId;
    }

    public BigDecimal getDiscount() {
        return discount;
    }
}
