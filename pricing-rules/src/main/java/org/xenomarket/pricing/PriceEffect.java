package org.xenomarket.pricing;

/**
 * One line of a quote's breakdown: the rule that acted (its DRL name, written for the finance
 * reader), on which resource (null for an accelerator line, priced per device of a model), what it did ("base 0.020000", "x1.35", "floor 0.030000") and why.
 */
public record PriceEffect(String rule, Resource resource, String effect, String reason) {
}
