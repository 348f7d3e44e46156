package org.xenomarket.market.quote;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One line of a stored quote's breakdown: which rule changed which resource's price, how and why. */
@Embeddable
public class PriceEffectLine {

    @Column(nullable = false)
    public String rule;

    @Column(nullable = false)
    public String resource;

    @Column(nullable = false)
    public String effect;

    @Column(nullable = false)
    public String reason;
}
