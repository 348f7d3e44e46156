package org.xenomarket.market.clearing.preemption;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.pricing.ResourceVector;

/**
 * Chooses which best-effort leases on a server to pre-empt so that a reserved request fits in every
 * hour of its window: the fewest leases, and among as few the lowest price per hour in total. An
 * exact search over subsets of the cheapest {@link #MAX_CANDIDATES} leases that hold capacity in a
 * short hour; plain arithmetic, no I/O, so it is tested on its own.
 */
public final class PreemptionPlanner {

    /** 2^12 subsets at most; more best-effort guests than this on one server are rare. */
    static final int MAX_CANDIDATES = 12;

    private PreemptionPlanner() {
    }

    /**
     * @param capacity  the server's capacity
     * @param reserved  what is reserved in each hour (absent hours: nothing)
     * @param window    the hours the reserved request needs
     * @param wanted    what it needs in each of them
     * @param holdings  best-effort leases on the server that could be pre-empted
     * @param noticeEnd when a pre-empted guest must have stopped
     * @return the plan, or empty when pre-empting all of them would still not make room
     */
    public static Optional<PreemptionPlan> plan(ResourceVector capacity, Map<Instant, ResourceVector> reserved,
                                                CapacityWindow window, ResourceVector wanted,
                                                List<Holding> holdings, Instant noticeEnd) {
        List<Instant> hours = new ArrayList<>();
        for (int h = 0; h < window.buckets(); h++) {
            hours.add(window.firstBucket().plus(Duration.ofHours(h)));
        }
        List<Instant> shortHours = hours.stream()
                .filter(hour -> !wanted.plus(reserved.getOrDefault(hour, ResourceVector.ZERO)).fitsWithin(capacity))
                .toList();
        if (shortHours.isEmpty()) {
            return Optional.of(new PreemptionPlan(List.of(), peak(hours, reserved, List.of(), noticeEnd)));
        }
        List<Holding> useful = holdings.stream()
                .filter(h -> shortHours.stream().anyMatch(hour -> frees(h, hour, noticeEnd)))
                .sorted(Comparator.comparing(Holding::pricePerHour).thenComparing(Holding::leaseId))
                .limit(MAX_CANDIDATES)
                .toList();
        int n = useful.size();
        for (int size = 1; size <= n; size++) {
            int best = -1;
            BigDecimal bestPrice = null;
            for (int mask = 1; mask < (1 << n); mask++) {
                if (Integer.bitCount(mask) != size || !fits(mask, useful, shortHours, reserved, wanted, capacity, noticeEnd)) {
                    continue;
                }
                BigDecimal price = priceOf(mask, useful);
                if (bestPrice == null || price.compareTo(bestPrice) < 0) {
                    best = mask;
                    bestPrice = price;
                }
            }
            if (best >= 0) {
                List<Holding> victims = chosen(best, useful);
                return Optional.of(new PreemptionPlan(victims, peak(hours, reserved, victims, noticeEnd)));
            }
        }
        return Optional.empty();
    }

    static boolean frees(Holding holding, Instant hour, Instant noticeEnd) {
        CapacityWindow released = holding.releasedBy(noticeEnd);
        return released != null && !hour.isBefore(released.firstBucket()) && hour.isBefore(released.end());
    }

    private static boolean fits(int mask, List<Holding> useful, List<Instant> hours, Map<Instant, ResourceVector> reserved,
                                ResourceVector wanted, ResourceVector capacity, Instant noticeEnd) {
        List<Holding> victims = chosen(mask, useful);
        for (Instant hour : hours) {
            ResourceVector after = afterRelease(hour, reserved, victims, noticeEnd);
            if (!wanted.plus(after).fitsWithin(capacity)) {
                return false;
            }
        }
        return true;
    }

    private static ResourceVector afterRelease(Instant hour, Map<Instant, ResourceVector> reserved,
                                               List<Holding> victims, Instant noticeEnd) {
        ResourceVector left = reserved.getOrDefault(hour, ResourceVector.ZERO);
        for (Holding victim : victims) {
            if (frees(victim, hour, noticeEnd)) {
                left = minus(left, victim.amounts());
            }
        }
        return left;
    }

    /** What is left when {@code released} is taken off; never below zero (a vector cannot be negative). */
    private static ResourceVector minus(ResourceVector from, ResourceVector released) {
        return new ResourceVector(Math.max(0, from.vcpus() - released.vcpus()),
                Math.max(0, from.memoryMib() - released.memoryMib()), Math.max(0, from.diskGib() - released.diskGib()));
    }

    private static ResourceVector peak(List<Instant> hours, Map<Instant, ResourceVector> reserved,
                                       List<Holding> victims, Instant noticeEnd) {
        int vcpus = 0;
        long memory = 0;
        long disk = 0;
        for (Instant hour : hours) {
            ResourceVector left = afterRelease(hour, reserved, victims, noticeEnd);
            vcpus = Math.max(vcpus, left.vcpus());
            memory = Math.max(memory, left.memoryMib());
            disk = Math.max(disk, left.diskGib());
        }
        return new ResourceVector(vcpus, memory, disk);
    }

    private static List<Holding> chosen(int mask, List<Holding> useful) {
        List<Holding> victims = new ArrayList<>();
        for (int i = 0; i < useful.size(); i++) {
            if ((mask & (1 << i)) != 0) {
                victims.add(useful.get(i));
            }
        }
        return victims;
    }

    private static BigDecimal priceOf(int mask, List<Holding> useful) {
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < useful.size(); i++) {
            if ((mask & (1 << i)) != 0) {
                total = total.add(useful.get(i).pricePerHour());
            }
        }
        return total;
    }
}
