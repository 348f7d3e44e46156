package org.xenomarket.market.clearing.preemption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.pricing.ResourceVector;

/** The planner pre-empts the fewest best-effort leases, then the cheapest, and only when that makes room. */
class PreemptionPlannerTest {

    private static final ResourceVector SERVER = new ResourceVector(8, 16384, 200);
    private static final Instant HOUR = Instant.parse("2030-01-01T10:00:00Z");
    private static final Instant NOTICE_END = HOUR.plus(Duration.ofMinutes(2));

    private static Holding holding(int vcpus, String price, Instant start, Instant end) {
        return new Holding(UUID.randomUUID(), new ResourceVector(vcpus, 1024L * vcpus, 10L * vcpus), start, end,
                new BigDecimal(price));
    }

    /** Slots as the leases fill them: each lease in every hour it covers. */
    private static Map<Instant, ResourceVector> slotsOf(List<Holding> holdings) {
        Map<Instant, ResourceVector> slots = new HashMap<>();
        for (Holding h : holdings) {
            CapacityWindow held = CapacityWindow.covering(h.start(), h.end());
            for (int i = 0; i < held.buckets(); i++) {
                slots.merge(held.firstBucket().plus(Duration.ofHours(i)), h.amounts(), ResourceVector::plus);
            }
        }
        return slots;
    }

    @Test
    void fewestLeasesWinOverACheaperPair() {
        Instant end = HOUR.plus(Duration.ofHours(5));
        Holding big = holding(4, "0.80", HOUR, end);
        Holding small1 = holding(2, "0.10", HOUR, end);
        Holding small2 = holding(2, "0.10", HOUR, end);
        List<Holding> all = List.of(big, small1, small2);
        CapacityWindow window = CapacityWindow.covering(HOUR.plus(Duration.ofHours(1)), HOUR.plus(Duration.ofHours(3)));

        PreemptionPlan plan = PreemptionPlanner.plan(SERVER, slotsOf(all), window, new ResourceVector(4, 4096, 40),
                all, NOTICE_END).orElseThrow();

        assertEquals(List.of(big), plan.victims());
    }

    @Test
    void amongAsFewTheCheapestGoes() {
        Instant end = HOUR.plus(Duration.ofHours(5));
        Holding dear = holding(4, "0.90", HOUR, end);
        Holding cheap = holding(4, "0.30", HOUR, end);
        List<Holding> all = List.of(dear, cheap);
        CapacityWindow window = CapacityWindow.covering(HOUR.plus(Duration.ofHours(1)), HOUR.plus(Duration.ofHours(2)));

        PreemptionPlan plan = PreemptionPlanner.plan(SERVER, slotsOf(all), window, new ResourceVector(2, 2048, 20),
                all, NOTICE_END).orElseThrow();

        assertEquals(List.of(cheap), plan.victims());
        assertEquals(new ResourceVector(4, 4096, 40), plan.peakAfter());
    }

    @Test
    void theHourANoticeEndsInIsStillHeldSoARequestThereFindsNoPlan() {
        Holding running = holding(8, "0.10", HOUR, HOUR.plus(Duration.ofHours(4)));
        CapacityWindow sameHour = CapacityWindow.covering(NOTICE_END, NOTICE_END.plus(Duration.ofHours(1)));

        assertTrue(PreemptionPlanner.plan(SERVER, slotsOf(List.of(running)), sameHour, new ResourceVector(1, 1024, 1),
                List.of(running), NOTICE_END).isEmpty());
        CapacityWindow nextHour = CapacityWindow.covering(HOUR.plus(Duration.ofHours(1)), HOUR.plus(Duration.ofHours(2)));
        assertEquals(List.of(running), PreemptionPlanner.plan(SERVER, slotsOf(List.of(running)), nextHour,
                new ResourceVector(1, 1024, 1), List.of(running), NOTICE_END).orElseThrow().victims());
    }

    @Test
    void reservedCapacityThatNoBestEffortLeaseHoldsLeavesNoPlan() {
        Holding bestEffort = holding(2, "0.10", HOUR, HOUR.plus(Duration.ofHours(4)));
        Map<Instant, ResourceVector> slots = slotsOf(List.of(bestEffort));
        // Six more vCPUs are held by reserved leases in every hour: they are never candidates.
        for (int i = 0; i < 4; i++) {
            slots.merge(HOUR.plus(Duration.ofHours(i)), new ResourceVector(6, 6144, 60), ResourceVector::plus);
        }
        CapacityWindow window = CapacityWindow.covering(HOUR.plus(Duration.ofHours(1)), HOUR.plus(Duration.ofHours(2)));

        assertTrue(PreemptionPlanner.plan(SERVER, slots, window, new ResourceVector(4, 1024, 10), List.of(bestEffort),
                NOTICE_END).isEmpty());
    }

    /** Seeded random servers: any plan makes room in every hour, and no smaller or cheaper subset does. */
    @Test
    void plansAreMinimalAndMakeRoomOnRandomServers() {
        SplittableRandom random = new SplittableRandom(20261125);
        for (int round = 0; round < 300; round++) {
            List<Holding> holdings = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int i = 0; i < count; i++) {
                Instant start = HOUR.plus(Duration.ofMinutes(random.nextInt(-120, 240)));
                holdings.add(holding(1 + random.nextInt(3), "0." + (10 + random.nextInt(80)), start,
                        start.plus(Duration.ofMinutes(30 + random.nextInt(300)))));
            }
            Map<Instant, ResourceVector> slots = slotsOf(holdings);
            if (slots.values().stream().anyMatch(v -> !v.fitsWithin(SERVER))) {
                continue; // a state the database would never hold
            }
            Instant start = HOUR.plus(Duration.ofHours(1 + random.nextInt(3)));
            CapacityWindow window = CapacityWindow.covering(start, start.plus(Duration.ofHours(1 + random.nextInt(3))));
            ResourceVector wanted = new ResourceVector(1 + random.nextInt(8), 1024, 10);

            Optional<PreemptionPlan> plan = PreemptionPlanner.plan(SERVER, slots, window, wanted, holdings, NOTICE_END);
            Optional<List<Holding>> best = bruteForce(slots, window, wanted, holdings);
            assertEquals(best.isPresent(), plan.isPresent(), "round " + round);
            if (plan.isPresent()) {
                assertTrue(makesRoom(slots, window, wanted, plan.get().victims()), "round " + round);
                assertEquals(best.get().size(), plan.get().victims().size(), "round " + round);
                assertEquals(0, price(best.get()).compareTo(price(plan.get().victims())), "round " + round);
            }
        }
    }

    private static Optional<List<Holding>> bruteForce(Map<Instant, ResourceVector> slots, CapacityWindow window,
                                                      ResourceVector wanted, List<Holding> holdings) {
        List<Holding> best = null;
        for (int mask = 0; mask < (1 << holdings.size()); mask++) {
            List<Holding> victims = new ArrayList<>();
            for (int i = 0; i < holdings.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    victims.add(holdings.get(i));
                }
            }
            if (makesRoom(slots, window, wanted, victims) && (best == null || victims.size() < best.size()
                    || victims.size() == best.size() && price(victims).compareTo(price(best)) < 0)) {
                best = victims;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Independent of the planner: a victim frees its amounts in the hours strictly after its notice's hour. */
    private static boolean makesRoom(Map<Instant, ResourceVector> slots, CapacityWindow window, ResourceVector wanted,
                                     List<Holding> victims) {
        for (int i = 0; i < window.buckets(); i++) {
            Instant hour = window.firstBucket().plus(Duration.ofHours(i));
            long vcpus = slots.getOrDefault(hour, ResourceVector.ZERO).vcpus() + wanted.vcpus();
            for (Holding v : victims) {
                boolean heldThen = !hour.isBefore(v.start().truncatedTo(java.time.temporal.ChronoUnit.HOURS))
                        && hour.isBefore(v.end());
                boolean stillRunsThen = v.start().isBefore(NOTICE_END)
                        && !hour.isAfter(NOTICE_END.truncatedTo(java.time.temporal.ChronoUnit.HOURS));
                if (heldThen && !stillRunsThen) {
                    vcpus -= v.amounts().vcpus();
                }
            }
            if (vcpus > SERVER.vcpus()) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal price(List<Holding> holdings) {
        return holdings.stream().map(Holding::pricePerHour).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
