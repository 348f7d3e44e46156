package org.xenomarket.market.clearing.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import jakarta.inject.Inject;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.ResourceVector;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.pricing.PriceSheetRepository;
import org.xenomarket.market.server.Offer;
import org.xenomarket.pricing.QuoteRequest;

/**
 * Books a round's placements in chunks (by default 5,000), one transaction per chunk written by
 * {@link BatchBooking}, a statement per kind of row. A chunk the database refuses whole (some hour's
 * room taken meanwhile by an immediate match, some bid no longer open) is split in halves and each
 * booked again, down to single placements booked with {@link Booking} in their own transactions, so
 * only the placements that really lost their room or bid are refused and counted.
 * Every booking transaction first checks the round's {@link RegionFence}: once another replica has taken
 * the region over, the round books nothing more and fails with {@link RegionLost}.
 */
@ApplicationScoped
public class RoundBookings {

    private static final Logger LOG = Logger.getLogger(RoundBookings.class);

    private final Booking booking;
    private final BatchBooking batch;
    private final RegionOwnership ownership;
    private final PriceSheetRepository sheets;
    private final int chunkSize;
    private final int connections;

    @Inject
    public RoundBookings(Booking booking, BatchBooking batch, RegionOwnership ownership, PriceSheetRepository sheets,
                         @ConfigProperty(name = "xenomarket.clearing.booking-chunk", defaultValue = "5000") int chunkSize,
                         @ConfigProperty(name = "xenomarket.clearing.booking-connections", defaultValue = "2")
                         int connections) {
        this.booking = booking;
        this.batch = batch;
        this.ownership = ownership;
        this.sheets = sheets;
        this.chunkSize = chunkSize;
        this.connections = Math.max(1, connections);
    }

    /** Without storing sheets (tests that book placements priced without one), one chunk at a time. */
    public RoundBookings(Booking booking, BatchBooking batch, RegionOwnership ownership, int chunkSize) {
        this(booking, batch, ownership, null, chunkSize, 1);
    }

    /** Without storing sheets, up to {@code connections} chunks at once. */
    public RoundBookings(Booking booking, BatchBooking batch, RegionOwnership ownership, int chunkSize,
                         int connections) {
        this(booking, batch, ownership, null, chunkSize, connections);
    }

    /**
     * One placement of a round to book: the bid, its request from the start the round chose, the offer,
     * the stored price sheet the offer's quote was priced from (null: the quote stores its breakdown), and
     * whether the server's site's cache holds the bid's image (its lease starts from a warm cache).
     */
    public record Placed(Bid bid, QuoteRequest request, Offer offer, SheetRef sheet, boolean warmCache) {

        public Placed(Bid bid, QuoteRequest request, Offer offer) {
            this(bid, request, offer, null, false);
        }
    }

    /** A stored price sheet (its id) and what was reserved on its server when a quote was priced from it. */
    public record SheetRef(UUID id, ResourceVector pricedAt) {
    }

    /** How many placements were booked, how many the database refused, and how many booked ones start from a warm cache. */
    public record Tally(int booked, int refused, int warmCache) {

        Tally(int booked, int refused) {
            this(booked, refused, 0);
        }

        Tally plus(Tally other) {
            return new Tally(booked + other.booked, refused + other.refused, warmCache + other.warmCache);
        }
    }

    /** Stores the price sheets a round's quotes reference, in a transaction of their own, before its bookings. */
    public Uni<Void> storeSheets(Map<UUID, PriceSheet> sheetsById) {
        return sheetsById.isEmpty() ? Uni.createFrom().voidItem()
                : Panache.withTransaction(() -> sheets.insertSheets(sheetsById)).replaceWithVoid();
    }

    /**
     * Books every placement, chunk by chunk, while {@code fence} holds; {@code why} ends each bid's reason.
     * Up to {@code connections} chunks are written at once, each in its own transaction on its own
     * connection: one chunk's statements keep one PostgreSQL backend busy, so a second uses the second
     * core. The chunks hold disjoint sets of servers ({@link #chunksByServer}), so concurrent chunks never
     * raise the same capacity slot and do not wait on each other's row locks.
     */
    public Uni<Tally> bookAll(List<Placed> placements, String why, RegionFence fence) {
        List<List<Placed>> chunks = chunksByServer(placements, chunkSize);
        Multi<Tally> tallies = Multi.createFrom().iterable(chunks).onItem()
                .transformToUni(chunk -> OwnContext.run(() -> bookChunk(chunk, why, fence)))
                .merge(connections);
        return tallies.collect().in(() -> new Tally[] {new Tally(0, 0)}, (sum, t) -> sum[0] = sum[0].plus(t))
                .map(sum -> sum[0]);
    }

    /**
     * Writes the round's reasons for the bids it left open with {@code write} (one set-based statement per
     * call), the bids cut into up to {@code connections} parts, each part in its own transaction on its own
     * connection, as the chunks are: a round leaves some 50,000 bids open in the 100,000-bid bench, and one
     * UPDATE of them all kept one PostgreSQL backend busy for seconds while the other core waited. The
     * parts hold disjoint bids, so they never wait on each other's row locks. A reason only informs the
     * sponsor and the next round writes it again, so the parts need not commit together.
     */
    public Uni<Void> explainOpen(Map<UUID, String> reasons, Function<Map<UUID, String>, Uni<Integer>> write) {
        if (reasons.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Map<UUID, String>> parts = new ArrayList<>();
        int size = (reasons.size() + connections - 1) / connections;
        Map<UUID, String> part = new LinkedHashMap<>();
        for (Map.Entry<UUID, String> reason : reasons.entrySet()) {
            part.put(reason.getKey(), reason.getValue());
            if (part.size() == size) {
                parts.add(part);
                part = new LinkedHashMap<>();
            }
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return Multi.createFrom().iterable(parts).onItem()
                .transformToUni(p -> OwnContext.run(() -> Panache.withTransaction(() -> write.apply(p))))
                .merge(connections)
                .collect().last()
                .replaceWithVoid();
    }

    /*
     * The placements ordered by server and cut into chunks of about {@code size} at a change of server,
     * so every server's placements of a pass are in one chunk: its hours are summed once and written once
     * (a new slot inserted, not raised again by a later chunk: 354,470 (server, hour) rows instead of
     * 423,842 for the 47,317 bookings of the 100,000-bid bench), and chunks written at once touch
     * different slots. A chunk may exceed {@code size} by one server's placements.
     */
    static List<List<Placed>> chunksByServer(List<Placed> placements, int size) {
        List<Placed> byServer = new ArrayList<>(placements);
        byServer.sort(Comparator.comparing((Placed p) -> p.offer().server().id));
        List<List<Placed>> chunks = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= byServer.size(); i++) {
            boolean full = i - from >= size;
            if (i == byServer.size()
                    || full && !byServer.get(i).offer().server().id.equals(byServer.get(i - 1).offer().server().id)) {
                chunks.add(byServer.subList(from, i));
                from = i;
            }
        }
        return chunks;
    }

    /*
     * A chunk the database refuses whole is split in halves, each booked the same way, down to single
     * placements (each then in its own transaction, refused alone if it lost its room or bid): k refused
     * placements in a chunk of n cost about k log n transactions instead of n.
     */
    private Uni<Tally> bookChunk(List<Placed> chunk, String why, RegionFence fence) {
        if (chunk.size() == 1) {
            return one(chunk.get(0), why, fence);
        }
        return Panache.withTransaction(() -> ownership.check(fence).chain(() -> batch.bookAll(chunk.stream()
                        .map(p -> booking.plan(p.bid(), p.request(), p.offer(), why, p.sheet())).toList())))
                .replaceWith(new Tally(chunk.size(), 0, (int) chunk.stream().filter(Placed::warmCache).count()))
                .onFailure(RoundBookings::refusedByDatabase)
                .recoverWithUni(failure -> {
                    LOG.infof("A chunk of %d bookings was refused whole (%s); booking its halves apart",
                            chunk.size(), failure.getMessage());
                    int half = chunk.size() / 2;
                    return bookChunk(chunk.subList(0, half), why, fence)
                            .chain(first -> bookChunk(chunk.subList(half, chunk.size()), why, fence).map(first::plus));
                });
    }

    private Uni<Tally> one(Placed p, String why, RegionFence fence) {
        return Panache.withTransaction(
                        () -> ownership.check(fence).chain(() -> booking.book(p.bid(), p.request(), p.offer(), why, p.sheet())))
                .replaceWith(new Tally(1, 0, p.warmCache() ? 1 : 0))
                .onFailure(RoundBookings::refusedByDatabase)
                .recoverWithItem(failure -> {
                    LOG.infof("Booking bid %s on %s refused (%s); skipped", p.bid().id,
                            p.offer().server().name, failure.getMessage());
                    return new Tally(0, 1);
                });
    }

    private static boolean refusedByDatabase(Throwable failure) {
        return failure instanceof ChunkRefused || Booking.roomTaken(failure) || failure instanceof BidNoLongerOpen;
    }
}
