package org.xenomarket.pricing.rules;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a rule decided an accelerator model costs per device-hour, and why: the rules insert these, the
 * price sheet multiplies them by the devices a request asks for. Kept apart from {@link PriceLine}, whose
 * resources are a server's divisible capacity; accelerators are whole devices of a named model.
 */
public final class AcceleratorRate {

    private final String rule;
    private final String model;
    private final BigDecimal hourlyPrice;
    private final String reason;

    public AcceleratorRate(String rule, String model, BigDecimal hourlyPrice, String reason) {
        this.rule = Objects.requireNonNull(rule, "rule");
        this.model = Objects.requireNonNull(model, "model");
        this.hourlyPrice = Objects.requireNonNull(hourlyPrice, "hourlyPrice");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public String getRule() {
        return rule;
    }

    public String getModel() {
        return model;
    }

    public BigDecimal getHourlyPrice() {
        return hourlyPrice;
    }

    public String getReason() {
        return reason;
    }

    @Override
    public String toString() {
        return "AcceleratorRate[" + rule + ", " + model + ", " + hourlyPrice + ", " + reason + "]";
    }
}
