package org.xenomarket.market.clearing.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.xenomarket.market.capacity.AcceleratorRepository;
import org.xenomarket.market.capacity.AcceleratorsText;
import org.xenomarket.market.capacity.CapacityDays;
import org.xenomarket.market.capacity.CapacityExhausted;
import org.xenomarket.market.capacity.CapacityRepository;
import org.xenomarket.pricing.AcceleratorDemand;
import org.xenomarket.market.capacity.CapacityRepository.Reservation;
import org.xenomarket.market.clearing.repository.BulkBookingRepository;

/**
 * Writes many planned bookings at once, within the caller's transaction, a statement per kind of row
 * however many bookings: one guarded capacity upsert for all of them, then one statement marking the
 * bids MATCHED and inserting the quotes and leases ({@link BulkBookingRepository}; each quote references
 * the stored price sheet it was priced from, V79). Writes all or fails with {@link ChunkRefused} (or the
 * database's CHECK violation) so the transaction rolls back whole; the database stays the last word
 * on capacity, as for a single {@link Booking}.
 */
@ApplicationScoped
public class BatchBooking {

    private final CapacityRepository capacity;
    private final AcceleratorRepository accelerators;
    private final BulkBookingRepository writes;

    public BatchBooking(CapacityRepository capacity, AcceleratorRepository accelerators,
                        BulkBookingRepository writes) {
        this.accelerators = accelerators;
        this.capacity = capacity;
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
        return bookAll(prepare(plans));
    }

    /**
     * Planned bookings with their statements' parameters built: the capacity's server-days summed, the
     * quote and lease rows with their bids' reasons. Building them touches no session or connection, so a
     * round builds them on a worker thread, ahead of each chunk's transaction ({@link RoundBookings}).
     */
    public record Prepared(List<PlannedBooking> plans, CapacityDays.Parameters days, BulkBookingRepository.Rows rows) {
    }

    /** The statements' parameters for the planned bookings; pure, safe on any thread. */
    public static Prepared prepare(List<PlannedBooking> plans) {
        List<Reservation> reservations = plans.stream()
                .map(p -> new Reservation(p.serverId(), p.amounts(), p.window())).toList();
        return new Prepared(plans, CapacityDays.of(reservations).parameters(),
                BulkBookingRepository.rowsOf(plans.stream().map(PlannedBooking::quote).toList(),
                        plans.stream().map(PlannedBooking::lease).toList(),
                        plans.stream().map(PlannedBooking::reason).toList()));
    }

    /** Writes every prepared booking, or fails so that none is written. */
    public Uni<Void> bookAll(Prepared prepared) {
        List<PlannedBooking> plans = prepared.plans();
        if (plans.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return capacity.reserveAll(prepared.days())
                .invoke(allTaken -> {
                    if (!allTaken) {
                        throw new ChunkRefused("some hour lacks room for the chunk's " + plans.size() + " bookings");
                    }
                })
                .call(() -> takeAccelerators(plans))
                // one statement marks the chunk's bids MATCHED and writes a quote and lease for each bid
                // still OPEN (their sheets are stored already); a bid that left OPEN meanwhile gets none,
                // and the count refuses the chunk
                .chain(() -> writes.matchAndInsertQuotesAndLeases(prepared.rows()))
                .invoke(matched -> {
                    if (matched != plans.size()) {
                        throw new ChunkRefused((plans.size() - matched) + " of the chunk's bids are no longer open");
                    }
                })
                .replaceWithVoid();
    }
}
