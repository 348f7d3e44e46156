package org.xenomarket.pricing;

/**
 * The lines a policy's rules produced for a server do not make a valid price sheet (no base price for a
 * resource, two base prices, a time-of-day line on egress, a multiplier that is not positive): a DRL bug,
 * which the golden quotes catch before a version is activated.
 */
public class PriceSheetException extends RuntimeException {

    public PriceSheetException(String message) {
        super(message);
    }
}
