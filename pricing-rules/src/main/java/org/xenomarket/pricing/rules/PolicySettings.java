package org.xenomarket.pricing.rules;

import org.xenomarket.pricing.CongestionCurve;

import java.math.BigDecimal;

/** Fact: the single-valued entries of the policy tables. */
public final class PolicySettings {

    private final CongestionCurve congestionCurve;
    private final BigDecimal reservationPremium;
    private final BigDecimal bestEffortDiscount;

    public PolicySettings(CongestionCurve congestionCurve, BigDecimal reservationPremium,
                          BigDecimal bestEffortDiscount) {
        this.congestionCurve = congestionCurve;
        this.reservationPremium = reservationPremium;
        this.bestEffortDiscount = bestEffortDiscount;
    }

    public CongestionCurve getCongestionCurve() {
        return congestionCurve;
    }

    public BigDecimal getReservationPremium() {
        return reservationPremium;
    }

    public BigDecimal getBestEffortDiscount() {
        return bestEffortDiscount;
    }
}
