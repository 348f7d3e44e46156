package org.xenomarket.pricing;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A quote's breakdown, worked out by its price sheet on first read. Pricing and explaining run the same
 * code ({@code ResourcePricing.price}), so the explanation always matches the numbers; most quotes made
 * during clearing are compared and dropped without anyone reading why.
 */
final class LazyBreakdown extends AbstractList<PriceEffect> implements RandomAccess {

    private final PriceSheet sheet;
    /** What the quote was priced at: the sheet's own reservation, or another one priced without a copy. */
    private final ResourceVector reserved;
    private final QuoteRequest request;
    private volatile List<PriceEffect> effects;

    LazyBreakdown(PriceSheet sheet, ResourceVector reserved, QuoteRequest request) {
        this.sheet = sheet;
        this.reserved = reserved;
        this.request = request;
    }

    PriceSheet sheet() {
        return sheet;
    }

    ResourceVector reserved() {
        return reserved;
    }

    private List<PriceEffect> effects() {
        List<PriceEffect> e = effects;
        if (e == null) {
            // two threads may both work it out; they get equal lists, and either may be kept
            PriceSheet priced = reserved.equals(sheet.server().reserved()) ? sheet : sheet.withReserved(reserved);
            e = priced.breakdown(request);
            effects = e;
        }
        return e;
    }

    @Override
    public PriceEffect get(int index) {
        return effects().get(index);
    }

    @Override
    public int size() {
        return effects().size();
    }
}
