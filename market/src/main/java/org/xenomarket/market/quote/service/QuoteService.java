package org.xenomarket.market.quote.service;

import org.xenomarket.market.capacity.service.AcceleratorCatalogue;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.xenomarket.market.operations.MarketMetrics;
import org.xenomarket.market.placement.Placement;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.quote.Quote;
import org.xenomarket.market.quote.QuoteMapper;
import org.xenomarket.market.quote.QuoteInquiry;
import org.xenomarket.market.quote.repository.QuoteRepository;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.ServerState;
import org.xenomarket.market.server.repository.ServerRepository;
import org.xenomarket.market.server.service.OfferFinder;
import org.xenomarket.pricing.QuoteRequest;

/** Prices sponsors' requests and keeps the quotes given. */
@ApplicationScoped
public class QuoteService {

    private final QuoteRepository quotes;
    private final QuoteBreakdowns breakdowns;
    private final ServerRepository servers;
    private final OfferFinder offers;
    private final Clock clock;
    private final MarketMetrics metrics;
    private final AcceleratorCatalogue catalogue;
    private final QuoteSheets sheets;
    private final QuoteIntake intake;

    public QuoteService(QuoteRepository quotes, ServerRepository servers, OfferFinder offers, Clock clock,
                        MarketMetrics metrics, AcceleratorCatalogue catalogue, QuoteBreakdowns breakdowns,
                        QuoteSheets sheets, QuoteIntake intake) {
        this.intake = intake;
        this.sheets = sheets;
        this.catalogue = catalogue;
        this.breakdowns = breakdowns;
        this.metrics = metrics;
        this.quotes = quotes;
        this.servers = servers;
        this.offers = offers;
        this.clock = clock;
    }

    /**
     * Prices the request and stores the quote: referencing the price sheet it was priced from (stored with the
     * first quote from it) where its breakdown can be worked out again from that, so that a quote is one row;
     * otherwise with its breakdown rows. Either way the answer carries the breakdown.
     */
    public Uni<Quote> create(UUID sponsorId, QuoteInquiry request) {
        return Uni.createFrom().deferred(() -> {
            if ((request.serverId() == null) == (request.near() == null)) {
                throw new InvalidInput(List.of(
                        new Problem.FieldError("serverId", "give either serverId or near, not both or neither"),
                        new Problem.FieldError("near", "give either serverId or near, not both or neither")));
            }
            catalogue.requireKnown("accelerators.model", request.accelerators());
            QuoteRequest priced = request.toPricingRequest(sponsorId, clock);
            // pricing only reads, each statement on its own: a session, no transaction
            return Panache.withSession(() -> timed(request.serverId() != null
                            ? offerOnServer(request.serverId(), priced)
                            : cheapestNear(request.near(), priced)))
                    .chain(chosen -> store(sponsorId, priced, chosen));
        });
    }

    /**
     * Stores the quote of the chosen offer. The common case, a quote whose sheet is already stored, is one row
     * written with group commit ({@link QuoteIntake}); one that stores its sheet, or keeps its breakdown rows,
     * is written in a transaction of its own.
     */
    private Uni<Quote> store(UUID sponsorId, QuoteRequest priced, Offer chosen) {
        QuoteSheets.SheetRef committed = sheets.committedFor(chosen.price(), priced);
        if (committed != null) {
            Quote quote = referencing(sponsorId, priced, chosen, committed);
            return intake.store(quote).replaceWith(quote);
        }
        AtomicReference<QuoteSheets.SheetRef> stored = new AtomicReference<>();
        return Panache.withTransaction(() -> sheets.referenceFor(chosen.price(), priced).chain(sheet -> {
                    if (sheet != null) {
                        stored.set(sheet);
                        return quotes.persist(referencing(sponsorId, priced, chosen, sheet));
                    }
                    Quote quote = QuoteMapper.toEntity(sponsorId, chosen.server().id, priced, chosen.price(),
                            clock.instant());
                    // The breakdown is one row per rule effect (about twenty): batched, they go to the database
                    // in one round trip with the quote instead of one each.
                    return Panache.getSession().invoke(session -> session.setBatchSize(quote.breakdown.size() + 1))
                            .chain(() -> quotes.persist(quote));
                }))
                // only a committed sheet may be referenced by later quotes
                .invoke(() -> sheets.committed(stored.get()));
    }

    private Quote referencing(UUID sponsorId, QuoteRequest priced, Offer chosen, QuoteSheets.SheetRef sheet) {
        Quote quote = QuoteMapper.referencingSheet(sponsorId, chosen.server().id, priced, chosen.price(),
                clock.instant(), sheet.id(), sheet.pricedAt());
        // answered as before, from the price; stored only as the sheet it is worked out from again
        quote.recomputedBreakdown = QuoteMapper.linesOf(chosen.price().breakdown());
        return quote;
    }

    /** The pricing of a quote, timed from subscription to its offer or its refusal. */
    private Uni<Offer> timed(Uni<Offer> pricing) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return pricing
                    .invoke(() -> metrics.quotePriced("priced", Duration.ofNanos(System.nanoTime() - started)))
                    .onFailure().invoke(() -> metrics.quotePriced("refused", Duration.ofNanos(System.nanoTime() - started)));
        });
    }

    @WithSession
    public Uni<Quote> get(UUID sponsorId, UUID quoteId) {
        return quotes.findOfSponsor(quoteId, sponsorId)
                .onItem().ifNull().failWith(() -> new NotFound("quote", quoteId))
                .chain(breakdowns::complete);
    }

    private Uni<Offer> offerOnServer(UUID serverId, QuoteRequest request) {
        return servers.findById(serverId)
                .onItem().ifNull().failWith(() -> new InvalidInput("serverId", "no server " + serverId))
                .chain(server -> {
                    if (server.state != ServerState.ACTIVE) {
                        throw new InvalidInput("serverId", "server " + serverId + " is " + server.state
                                + " and takes no leases");
                    }
                    return offers.offerOn(server, request);
                })
                .invoke(offer -> {
                    if (!offer.fits() && request.accelerators() != null && request.resources().fitsWithin(offer.free())) {
                        throw new InvalidInput("accelerators.count", "server " + serverId + " has fewer than "
                                + request.accelerators().count() + " " + request.accelerators().model()
                                + " free in the requested window");
                    }
                    if (!offer.fits()) {
                        throw new InvalidInput("resources", "server " + serverId + " has only "
                                + offer.free() + " free in the requested window");
                    }
                });
    }

    private Uni<Offer> cheapestNear(Placement placement, QuoteRequest request) {
        // egress to known places can outweigh the hourly price: then the cheapest is the cheapest in total
        return offers.cheapestOffer(placement, request).map(found -> {
            Offer cheapest = found.offer();
            if (cheapest == null) {
                throw new InvalidInput("near", !found.anyOffer()
                        ? "no active server within " + placement.withinKm() + " km is big enough"
                        : "no server within " + placement.withinKm() + " km has that much free in the window");
            }
            return cheapest;
        });
    }
}
