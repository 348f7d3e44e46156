package org.xenomarket.market.quote.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.pricing.PriceSheetRepository;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.Quote;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;

/**
 * The price sheets this replica has stored for quotes (V79, as clearing rounds do), so that a quote given
 * through the API references the sheet it was priced from instead of storing its breakdown, some twenty rows:
 * the sheet is stored with the first quote priced from it and referenced by the rest, and the breakdown is
 * worked out again from it when the quote is read ({@link QuoteBreakdowns}), by the same code.
 */
@ApplicationScoped
public class QuoteSheets {

    /** Sheets whose rows are committed, by identity; a sheet the pricing cache has replaced is let go. */
    private final Map<PriceSheet, UUID> stored = Collections.synchronizedMap(new WeakHashMap<>());
    private final PriceSheetRepository sheets;

    public QuoteSheets(PriceSheetRepository sheets) {
        this.sheets = sheets;
    }

    /** The stored sheet a quote references, and whether it was stored in this transaction. */
    public record SheetRef(PriceSheet sheet, UUID id, ResourceVector pricedAt, boolean storedNow) {
    }

    /**
     * The sheet {@code price} was priced from, stored in the caller's transaction unless it already is; null
     * when the quote's breakdown could not be worked out again from a stored sheet exactly as it was given, and
     * so keeps its rows: a request naming accelerators or client places, a provider with terms for sponsors
     * (neither is part of a stored sheet), or a sheet made for one reservation rather than the idle one the
     * pricing cache keeps (storing each such copy would store a sheet per quote).
     */
    public Uni<SheetRef> referenceFor(Quote price, QuoteRequest request) {
        if (!referable(price, request)) {
            return Uni.createFrom().nullItem();
        }
        Quote.PricedFrom from = price.pricedFrom();
        SheetRef committed = committed(from);
        if (committed != null) {
            return Uni.createFrom().item(committed);
        }
        UUID id = TimeOrderedId.next();
        return sheets.insertSheets(Map.of(id, from.sheet())).map(n -> new SheetRef(from.sheet(), id, from.reserved(), true));
    }

    /**
     * The committed sheet a quote of {@code price} references, without touching the database; null when the
     * quote keeps its breakdown rows (see {@link #referenceFor}) or its sheet is not stored yet.
     */
    public SheetRef committedFor(Quote price, QuoteRequest request) {
        return referable(price, request) ? committed(price.pricedFrom()) : null;
    }

    /** The reference to the sheet a price came from, if that sheet is stored and committed; else null. */
    private SheetRef committed(Quote.PricedFrom from) {
        UUID known = stored.get(from.sheet());
        return known == null ? null : new SheetRef(from.sheet(), known, from.reserved(), false);
    }

    private static boolean referable(Quote price, QuoteRequest request) {
        Quote.PricedFrom from = price.pricedFrom();
        return from != null && request.accelerators() == null && request.clientPlaces().isEmpty()
                && from.sheet().server().sponsorTerms().isEmpty()
                && from.sheet().server().reserved().equals(ResourceVector.ZERO);
    }

    /** Records, once its transaction committed, that a sheet stored now is there for later quotes. */
    public void committed(SheetRef ref) {
        if (ref != null && ref.storedNow()) {
            stored.putIfAbsent(ref.sheet(), ref.id());
        }
    }
}
