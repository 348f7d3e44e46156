package org.xenomarket.pricing.rules;

import java.math.BigDecimal;

/** Fact: a row of the accelerator catalogue, a model and its price per device-hour. */
public final class AcceleratorModel {

    private final String model;
    private final BigDecimal hourlyPrice;

    public AcceleratorModel(String model, BigDecimal hourlyPrice) {
        this.model = model;
        this.hourlyPrice = hourlyPrice;
    }

    public String getModel() {
        return model;
    }

    public BigDecimal getHourlyPrice() {
        return hourlyPrice;
    }
}
