package org.xenomarket.pricing;

/** A policy table failed its schema; the message names the field at fault, e.g. "congestionCurve[2].multiplier". */
public class PolicyTableException extends RuntimeException {

    private final String field;

    public PolicyTableException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    /** Path of the offending field, e.g. {@code basePrices.eu-west.VCPU}. */
    public String field() {
        return field;
    }
}
