package org.xenomarket.market.billing.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Billing's configuration: the length of a billing period and the platform's fee rate. */
@ApplicationScoped
public class BillingSettings {

    private final Period period;
    private final BigDecimal feeRate;

    public BillingSettings(@ConfigProperty(name = "xenomarket.billing.period", defaultValue = "P1M") Period period,
                           @ConfigProperty(name = "xenomarket.billing.platform-fee-rate", defaultValue = "0.10")
                           BigDecimal feeRate) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("xenomarket.billing.period must be positive: " + period);
        }
        if (feeRate.signum() < 0 || feeRate.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("xenomarket.billing.platform-fee-rate must be within 0 and 1: " + feeRate);
        }
        this.period = period;
        this.feeRate = feeRate;
    }

    /** The end of the billing period that starts at {@code start}, counted in UTC calendar days and months. */
    public Instant periodEnd(Instant start) {
        return start.atOffset(ZoneOffset.UTC).plus(period).toInstant();
    }

    /** The start of the billing period that ends at {@code end}. */
    public Instant periodStart(Instant end) {
        return end.atOffset(ZoneOffset.UTC).minus(period).toInstant();
    }

    /** The part of every charge that is the platform's fee, e.g. 0.10. */
    public BigDecimal feeRate() {
        return feeRate;
    }
}
