package org.xenomarket.market.clearing.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.bid.repository.BidRepository;
import org.xenomarket.market.capacity.AcceleratorRepository;
import org.xenomarket.market.capacity.AcceleratorsText;
import org.xenomarket.market.capacity.CapacityExhausted;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.pricing.AcceleratorDemand;
import org.xenomarket.market.capacity.CapacityRepository.Reservation;
import org.xenomarket.market.clearing.repository.BulkBookingRepository;

/**
 * Writes many planned bookings at once, within the caller's transaction, a statement per kind of row
 * however many bookings: one guarded capacity upsert for all of them, one UPDATE marking the bids
 * MATCHED, one INSERT of the quotes and leases ({@link BulkBookingRepository}; each quote references
 * the stored price sheet it was priced from, V79). Writes all or fails with {@link ChunkRefused} (or the
 * database's CHECK violation) so the transaction rolls back whole; the database stays the last word
 * on capacity, as for a single {@link Booking}.
 */
@ApplicationScoped
public class BatchBooking {

    private final CapacityRepository capacity;
    private final BidRepository bids;
    private final AcceleratorRepository accelerators;
    private final BulkBookingRepository writes;

    public BatchBooking(CapacityRepository capacity, BidRepository bids, AcceleratorRepository accelerators,
                        BulkBookingRepository writes) {
        this.accelerators = accelerators;
        this.capacity = capacity;
        this.bids = bids;
        this.writes = writes;
    }

    /**
     * The devices of the chunk's GPU leases, one booking each (rounds clear GPU bids apart, see
     * {@link AcceleratorBids}, so a chunk rarely has any); too few free refuses the chunk.
     */
    private Uni<Void> takeAccelerators(List<PlannedBooking> plans) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (PlannedBooking plan : plans) {
            if (plan.lease().acceleratorModel == null) {
                continue;
            }
            chain = chain.chain(() -> accelerators.book(plan.serverId(), plan.lease().id,
                            new AcceleratorDemand(plan.lease().acceleratorModel, plan.lease().acceleratorCount),
                            plan.window())
                    .invoke(devices -> plan.lease().acceleratorDevices = AcceleratorsText.ofDevices(devices))
                    .onFailure(CapacityExhausted.class).transform(e -> new ChunkRefused(e.getMessage()))
                    .replaceWithVoid());
        }
        return chain;
    }

    /** Writes every planned booking, or fails so that none is written. */
    public Uni<Void> bookAll(List<PlannedBooking> plans) {
        if (plans.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Reservation> reservations = plans.stream()
                .map(p -> new Reservation(p.serverId(), p.amounts(), p.window())).toList();
        Map<UUID, String> reasons = new LinkedHashMap<>();
        plans.forEach(p -> reasons.put(p.bidId(), p.reason()));
        return capacity.reserveAll(reservations)
                .invoke(allTaken -> {
                    if (!allTaken) {
                        throw new ChunkRefused("some hour lacks room for the chunk's " + plans.size() + " bookings");
                    }
                })
                .call(() -> takeAccelerators(plans))
                // bids before leases: a bid that left OPEN meanwhile refuses the chunk here, before its
                // second lease could meet lease.bid_id's UNIQUE constraint
                .chain(() -> bids.markAllMatched(reasons))
                .invoke(matched -> {
                    if (matched != plans.size()) {
                        throw new ChunkRefused((plans.size() - matched) + " of the chunk's bids are no longer open");
                    }
                })
                // bulk: one statement for the chunk's quotes and leases (their sheets are stored already)
                .chain(() -> writes.insertQuotesAndLeases(plans.stream().map(PlannedBooking::quote).toList(),
                        plans.stream().map(PlannedBooking::lease).toList()))
                .replaceWithVoid();
    }
}
