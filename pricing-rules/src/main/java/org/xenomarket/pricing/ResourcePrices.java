package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map with one price per resource, held in an array by ordinal: the quote path makes one per
 * quote, and building a general immutable map cost a tenth of a quote.
 */
final class ResourcePrices extends AbstractMap<Resource, BigDecimal> {

    private static final Resource[] RESOURCES = Resource.values();

    private final BigDecimal[] prices;

    /** Prices in {@link Resource} declaration order, none null. */
    ResourcePrices(BigDecimal vcpu, BigDecimal memory, BigDecimal disk, BigDecimal egress) {
        this.prices = new BigDecimal[]{vcpu, memory, disk, egress};
        for (BigDecimal p : prices) {
            if (p == null) {
                throw new NullPointerException("every resource needs a price");
            }
        }
    }

    @Override
    public BigDecimal get(Object key) {
        return key instanceof Resource r ? prices[r.ordinal()] : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof Resource;
    }

    @Override
    public int size() {
        return prices.length;
    }

    @Override
    public Set<Entry<Resource, BigDecimal>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<Resource, BigDecimal>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < prices.length;
                    }

                    @Override
                    public Entry<Resource, BigDecimal> next() {
                        if (next >= prices.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return Map.entry(RESOURCES[i], prices[i]);
                    }
                };
            }

            @Override
            public int size() {
                return prices.length;
            }
        };
    }
}
