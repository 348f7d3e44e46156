package org.xenomarket.market.clearing.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.clearing.round.RoundFixtures.bid;
import static org.xenomarket.market.clearing.round.RoundFixtures.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/** What one clearing round decides, on small hand-made and seeded random instances. */
class ClearingRoundTest {

    private static final double CAM_LAT = 52.2;
    private static final double CAM_LON = 0.12;

    @Test
    void theHigherValueBidWinsScarceCapacityWhateverTheOrderGiven() {
        RoundServer only = server("only", CAM_LAT, CAM_LON, 4, 10_000);
        RoundBid cheap = bid(1, CAM_LAT, CAM_LON, 50, 4, 10, 900_000, ServiceClass.RESERVED);
        RoundBid dear = bid(2, CAM_LAT, CAM_LON, 50, 4, 10, 950_000, ServiceClass.BEST_EFFORT);

        RoundOutcome outcome = ClearingRound.clear(List.of(only), List.of(cheap, dear));

        assertEquals(1, outcome.assignments().size());
        assertEquals(dear.id(), outcome.assignments().get(0).bid().id());
        assertEquals(UnmatchedCause.ALL_FULL, outcome.unmatched().get(0).cause());
        assertEquals(cheap.id(), outcome.unmatched().get(0).bid().id());
    }

    @Test
    void valueIsMaxPriceTimesHoursSoALongerLowerBidCanOutrankAShortHigherOne() {
        RoundServer only = server("only", CAM_LAT, CAM_LON, 2, 10_000);
        RoundBid shortHigh = bid(1, CAM_LAT, CAM_LON, 50, 2, 1, 500_000, ServiceClass.RESERVED);
        RoundBid longLow = bid(2, CAM_LAT, CAM_LON, 50, 2, 24, 100_000, ServiceClass.RESERVED);

        RoundOutcome outcome = ClearingRound.clear(List.of(only), List.of(shortHigh, longLow));

        assertEquals(List.of(longLow.id()), outcome.assignments().stream().map(a -> a.bid().id()).toList());
    }

    @Test
    void atEqualValueTheOlderBidGoesFirst() {
        RoundServer only = server("only", CAM_LAT, CAM_LON, 2, 10_000);
        RoundBid older = bid(1, CAM_LAT, CAM_LON, 50, 2, 5, 500_000, ServiceClass.RESERVED);
        RoundBid newer = bid(2, CAM_LAT, CAM_LON, 50, 2, 5, 500_000, ServiceClass.RESERVED);

        RoundOutcome outcome = ClearingRound.clear(List.of(only), List.of(newer, older));

        assertEquals(older.id(), outcome.assignments().get(0).bid().id());
    }

    @Test
    void loadSpreadsToTheIdleSiteAsPricesFollowUtilisation() {
        // the same price list in two cities 280 km apart; each bid reaches both
        RoundServer cambridge = server("cam", CAM_LAT, CAM_LON, 8, 10_000);
        RoundServer amsterdam = server("ams", 52.37, 4.90, 8, 10_000);
        List<RoundBid> bids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bids.add(bid(i, CAM_LAT, CAM_LON, 400, 2, 5, 1_000_000, ServiceClass.RESERVED));
        }

        RoundOutcome outcome = ClearingRound.clear(List.of(cambridge, amsterdam), bids);

        Map<UUID, Integer> perServer = new HashMap<>();
        outcome.assignments().forEach(a -> perServer.merge(a.server().id(), 1, Integer::sum));
        assertEquals(4, perServer.get(cambridge.id()));
        assertEquals(4, perServer.get(amsterdam.id()));
        // each price is what the server asked at the utilisation the round had put on it
        long[] expected = {12_500 * 2, 12_500 * 2, 15_000 * 2, 15_000 * 2, 17_500 * 2, 17_500 * 2, 20_000 * 2,
                20_000 * 2};
        assertEquals(toList(expected), outcome.assignments().stream().map(Assignment::pricePerHourMicros).toList());
    }

    @Test
    void atEqualPriceTheNearerServerWins() {
        RoundServer far = server("far", 52.37, 4.90, 8, 10_000);
        RoundServer near = server("near", CAM_LAT, CAM_LON + 0.5, 8, 10_000);

        RoundOutcome outcome = ClearingRound.clear(List.of(far, near),
                List.of(bid(1, CAM_LAT, CAM_LON, 400, 2, 5, 1_000_000, ServiceClass.RESERVED)));

        assertEquals(near.id(), outcome.assignments().get(0).server().id());
    }

    @Test
    void aBidIsNeverPlacedAboveItsMaxAndLearnsTheCheapestPrice() {
        RoundServer only = server("only", CAM_LAT, CAM_LON, 8, 10_000);
        // 2 vCPUs at 25 % utilisation cost 2 x 12,500 = 25,000 micro-units per hour
        RoundBid stingy = bid(1, CAM_LAT, CAM_LON, 50, 2, 5, 24_999, ServiceClass.RESERVED);
        RoundBid exact = bid(2, CAM_LAT, CAM_LON, 50, 2, 5, 25_000, ServiceClass.RESERVED);

        RoundOutcome alone = ClearingRound.clear(List.of(only), List.of(stingy));
        RoundOutcome enough = ClearingRound.clear(List.of(only), List.of(exact));

        Unmatched open = alone.unmatched().get(0);
        assertEquals(UnmatchedCause.ABOVE_MAX, open.cause());
        assertEquals(25_000, open.cheapestPricePerHourMicros());
        assertEquals(only.id(), open.cheapest().id());
        assertEquals(25_000, enough.assignments().get(0).pricePerHourMicros());
    }

    @Test
    void aBidWithNothingBigEnoughInReachSaysSo() {
        RoundServer amsterdam = server("ams", 52.37, 4.90, 8, 10_000);
        RoundServer small = server("small", CAM_LAT, CAM_LON, 1, 10_000);

        RoundOutcome outcome = ClearingRound.clear(List.of(amsterdam, small),
                List.of(bid(1, CAM_LAT, CAM_LON, 100, 2, 5, 1_000_000, ServiceClass.RESERVED)));

        Unmatched open = outcome.unmatched().get(0);
        assertEquals(UnmatchedCause.NONE_IN_REACH, open.cause());
        assertNull(open.cheapest());
    }

    @Test
    void serversAlreadyPartlyReservedOnlyOfferWhatIsLeft() {
        RoundServer busy = new RoundServer(UUID.randomUUID(), "eu-west", CAM_LAT, CAM_LON,
                new ResourceVector(8, 32_768, 800), new ResourceVector(7, 1_024, 10), (bid, reserved) -> 1);

        RoundOutcome outcome = ClearingRound.clear(List.of(busy), List.of(
                bid(1, CAM_LAT, CAM_LON, 10, 2, 5, 1_000_000, ServiceClass.RESERVED),
                bid(2, CAM_LAT, CAM_LON, 10, 1, 5, 1_000, ServiceClass.RESERVED)));

        assertEquals(1, outcome.assignments().size());
        assertEquals(1, outcome.assignments().get(0).bid().demand().vcpus());
        assertEquals(UnmatchedCause.ALL_FULL, outcome.unmatched().get(0).cause());
    }

    /** On random worlds: every placement is within reach, within the max, and no server is over capacity. */
    @Test
    void randomRoundsKeepEveryRuleOfARound() {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(0x524f_554e_4400_0000L + seed);
            List<RoundServer> servers = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(40); i++) {
                servers.add(server("s" + seed + "-" + i, random.nextDouble(-80, 80), random.nextDouble(-180, 180),
                        1 + random.nextInt(32), 1_000 + random.nextInt(20_000)));
            }
            List<RoundBid> bids = new ArrayList<>();
            for (int i = 0; i < random.nextInt(200); i++) {
                bids.add(bid(i, random.nextDouble(-85, 85), random.nextDouble(-180, 180),
                        1 + random.nextInt(5_000), 1 + random.nextInt(8), 1 + random.nextInt(48),
                        1 + random.nextInt(400_000), random.nextBoolean() ? ServiceClass.RESERVED
                                : ServiceClass.BEST_EFFORT));
            }
            RoundOutcome outcome = ClearingRound.clear(servers, bids);
            String where = "seed " + seed;

            assertEquals(bids.size(), outcome.assignments().size() + outcome.unmatched().size(), where);
            Map<UUID, Integer> used = new HashMap<>();
            Set<UUID> placed = new HashSet<>();
            for (Assignment a : outcome.assignments()) {
                assertTrue(placed.add(a.bid().id()), where);
                assertTrue(a.pricePerHourMicros() <= a.bid().maxPricePerHourMicros(), where);
                assertTrue(km(a.bid(), a.server()) <= a.bid().withinKm() + 1e-6, where);
                int total = used.merge(a.server().id(), a.bid().demand().vcpus(), Integer::sum);
                assertTrue(total <= a.server().capacity().vcpus(), where + ": server over capacity");
            }
            for (Unmatched u : outcome.unmatched()) {
                // the reason must be true: check it against every server by brute force
                boolean bigInReach = servers.stream().anyMatch(s -> km(u.bid(), s) <= u.bid().withinKm() - 1e-6
                        && u.bid().demand().fitsWithin(s.capacity()));
                if (u.cause() == UnmatchedCause.NONE_IN_REACH) {
                    assertTrue(!bigInReach, where + ": a server in reach was big enough for " + u.bid().id());
                } else if (u.cause() == UnmatchedCause.ABOVE_MAX) {
                    assertTrue(u.cheapestPricePerHourMicros() > u.bid().maxPricePerHourMicros(), where);
                }
            }
        }
    }

    /**
     * On crowded random worlds (many servers per site, many sites in reach, so scans skip sites and stop
     * early): the round decides exactly what it decides when every scan visits every server in reach.
     */
    @Test
    void skippingSitesByTheirBoundsChangesNoDecision() {
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(0x5349_5445_0000_0000L + seed);
            double[][] sites = new double[1 + random.nextInt(30)][];
            for (int t = 0; t < sites.length; t++) {
                sites[t] = new double[] {CAM_LAT + random.nextDouble(-3, 3), CAM_LON + random.nextDouble(-4, 4)};
            }
            List<RoundServer> servers = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(400); i++) {
                double[] at = sites[random.nextInt(sites.length)];
                int vcpus = 1 << random.nextInt(6);
                int reservedVcpus = random.nextInt(3) == 0 ? random.nextInt(vcpus) : 0;
                long base = 1_000 + 1_000L * random.nextInt(5); // few price lists: many equal indices
                RoundServer plain = server("c" + seed + "-" + i, at[0], at[1], vcpus, base);
                servers.add(new RoundServer(plain.id(), plain.region(), at[0], at[1], plain.capacity(),
                        new ResourceVector(reservedVcpus, 0, 0), plain.pricing()));
            }
            List<RoundBid> bids = new ArrayList<>();
            for (int i = 0; i < random.nextInt(1_500); i++) {
                double[] at = sites[random.nextInt(sites.length)];
                bids.add(bid(i, at[0] + random.nextDouble(-0.5, 0.5), at[1] + random.nextDouble(-0.5, 0.5),
                        10 + random.nextInt(600), 1 + random.nextInt(16), 1 + random.nextInt(48),
                        1 + random.nextInt(200_000), random.nextBoolean() ? ServiceClass.RESERVED
                                : ServiceClass.BEST_EFFORT));
            }

            RoundOutcome pruned = ClearingRound.clear(servers, bids);
            RoundOutcome everyServer = ClearingRound.clearVisitingEveryServer(servers, bids);

            assertEquals(everyServer, pruned, "seed " + seed);
            assertTrue(bids.isEmpty() || !pruned.assignments().isEmpty() || servers.size() < 5, "seed " + seed);
        }
    }

    /** The round's own sort of the bids gives exactly the documented priority order, ties included. */
    @Test
    void bidsAreOrderedByThePriorityComparator() {
        SplittableRandom random = new SplittableRandom(0x4f52_4445_5200_0000L);
        List<RoundBid> bids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            // few distinct values and times, ids with either sign in both halves: every tie-break is used
            RoundBid b = bid(random.nextInt(20), CAM_LAT, CAM_LON, 50, 1, 1 + random.nextInt(3),
                    1 + random.nextInt(4), ServiceClass.RESERVED);
            bids.add(new RoundBid(new UUID(random.nextLong(-2, 2), random.nextLong()), b.request(), CAM_LAT, CAM_LON,
                    50, b.maxPricePerHourMicros(), b.placedAt()));
        }
        List<RoundBid> expected = new ArrayList<>(bids);
        expected.sort(ClearingRound.PRIORITY);

        assertEquals(expected, List.of(ClearingRound.inPriorityOrder(bids)));
    }

    @Test
    void aServerBelowTheBidsMinimumReliabilityIsNotInItsReachEvenWhenCheaper() {
        RoundServer cheapShaky = scored(server("shaky", CAM_LAT, CAM_LON, 8, 5_000), 0.80);
        RoundServer dearSteady = scored(server("steady", CAM_LAT, CAM_LON + 0.1, 8, 10_000), 0.97);
        RoundServer unscored = server("new", CAM_LAT, CAM_LON, 8, 1_000);
        RoundBid picky = withMinimum(bid(1, CAM_LAT, CAM_LON, 50, 2, 5, 1_000_000, ServiceClass.RESERVED), 0.95);
        RoundBid any = bid(2, CAM_LAT, CAM_LON, 50, 2, 5, 1_000_000, ServiceClass.RESERVED);

        RoundOutcome outcome = ClearingRound.clear(List.of(cheapShaky, dearSteady, unscored), List.of(picky, any));

        Map<UUID, UUID> serverOf = new HashMap<>();
        outcome.assignments().forEach(a -> serverOf.put(a.bid().id(), a.server().id()));
        assertEquals(dearSteady.id(), serverOf.get(picky.id()));
        assertEquals(unscored.id(), serverOf.get(any.id()), "without a minimum the cheapest server, scored or not");
    }

    @Test
    void aBidWhoseMinimumNoServerInReachMeetsIsLeftOpenAsNoneInReach() {
        RoundServer shaky = scored(server("shaky", CAM_LAT, CAM_LON, 8, 5_000), 0.90);
        RoundServer unscored = server("new", CAM_LAT, CAM_LON, 8, 5_000);
        RoundBid picky = withMinimum(bid(1, CAM_LAT, CAM_LON, 50, 2, 5, 1_000_000, ServiceClass.RESERVED), 0.90001);
        RoundBid exactlyMet = withMinimum(bid(2, CAM_LAT, CAM_LON, 50, 2, 5, 1_000_000, ServiceClass.RESERVED), 0.90);

        RoundOutcome outcome = ClearingRound.clear(List.of(shaky, unscored), List.of(picky, exactlyMet));

        assertEquals(List.of(exactlyMet.id()), outcome.assignments().stream().map(a -> a.bid().id()).toList());
        assertEquals(shaky.id(), outcome.assignments().get(0).server().id());
        assertEquals(UnmatchedCause.NONE_IN_REACH, outcome.unmatched().get(0).cause());
    }

    /** On random worlds with scored servers: no bid lands below its minimum, and skipping sites changes nothing. */
    @Test
    void randomRoundsNeverPlaceABidOnAServerBelowItsMinimum() {
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(0x5245_4c49_0000_0000L + seed);
            List<RoundServer> servers = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(200); i++) {
                RoundServer plain = server("r" + seed + "-" + i, CAM_LAT + random.nextInt(4), CAM_LON + random.nextInt(4),
                        1 << random.nextInt(5), 1_000 + 1_000L * random.nextInt(3));
                servers.add(random.nextInt(5) == 0 ? plain : scored(plain, random.nextInt(101) / 100.0));
            }
            List<RoundBid> bids = new ArrayList<>();
            for (int i = 0; i < random.nextInt(600); i++) {
                RoundBid b = bid(i, CAM_LAT + random.nextDouble(0, 3), CAM_LON + random.nextDouble(0, 3),
                        50 + random.nextInt(400), 1 + random.nextInt(8), 1 + random.nextInt(24),
                        1 + random.nextInt(100_000), ServiceClass.RESERVED);
                bids.add(random.nextBoolean() ? b : withMinimum(b, random.nextInt(101) / 100.0));
            }

            RoundOutcome outcome = ClearingRound.clear(servers, bids);

            String where = "seed " + seed;
            for (Assignment a : outcome.assignments()) {
                if (a.bid().minReliability() != null) {
                    assertTrue(a.server().reliability() != null
                            && a.server().reliability() >= a.bid().minReliability(), where);
                }
            }
            for (Unmatched u : outcome.unmatched()) {
                if (u.cause() == UnmatchedCause.NONE_IN_REACH) {
                    boolean eligibleInReach = servers.stream().anyMatch(s -> km(u.bid(), s) <= u.bid().withinKm() - 1e-6
                            && u.bid().demand().fitsWithin(s.capacity()) && (u.bid().minReliability() == null
                            || s.reliability() != null && s.reliability() >= u.bid().minReliability()));
                    assertTrue(!eligibleInReach, where + ": an eligible server was in reach of " + u.bid().id());
                }
            }
            assertEquals(ClearingRound.clearVisitingEveryServer(servers, bids), outcome, where);
        }
    }

    /**
     * On seeded random worlds of several metros, some an ocean apart and some close enough that bids reach
     * across (so they share a group), with scored servers, picky bids and repair budgets from none to
     * plenty: the round split into groups and placed on both cores decides exactly what one group of
     * everything decides on one thread, to the order of the outcome's lists.
     */
    @Test
    void splittingTheRoundIntoGroupsChangesNoDecision() {
        double[][] anchors = {{52.2, 0.12}, {52.37, 4.9}, {50.11, 8.68}, {40.71, -74.0}, {39.04, -77.49},
            {1.35, 103.82}, {-33.87, 151.21}, {-23.55, -46.63}, {35.68, 139.69}};
        int[] budgets = {ClearingRound.MOVES_PER_ROUND, 0, 1, 3, 10, 40};
        int split = 0;
        int joined = 0;
        int budgetRunOut = 0;
        for (long seed = 1; seed <= 80; seed++) {
            SplittableRandom random = new SplittableRandom(0x4752_4f55_5000_0000L + seed);
            double[][] metros = new double[2 + random.nextInt(6)][];
            for (int m = 0; m < metros.length; m++) {
                metros[m] = anchors[random.nextInt(anchors.length)];
            }
            List<RoundServer> servers = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(300); i++) {
                double[] m = metros[random.nextInt(metros.length)];
                // a few sites per metro, so sites hold several servers
                double lat = m[0] + random.nextInt(4) * 0.7;
                double lon = m[1] + random.nextInt(4) * 0.7;
                RoundServer plain = server("g" + seed + "-" + i, lat, lon, 1 << random.nextInt(5),
                        1_000 + 1_000L * random.nextInt(4));
                servers.add(random.nextInt(4) == 0 ? scored(plain, random.nextInt(101) / 100.0) : plain);
            }
            List<RoundBid> bids = new ArrayList<>();
            for (int i = 0; i < random.nextInt(1_200); i++) {
                double[] m = metros[random.nextInt(metros.length)];
                RoundBid b = bid(i, m[0] + random.nextDouble(-2, 2), m[1] + random.nextDouble(-2, 2),
                        10 + random.nextInt(random.nextInt(10) == 0 ? 1_500 : 400), 1 + random.nextInt(8),
                        1 + random.nextInt(48), 1 + random.nextInt(200_000),
                        random.nextBoolean() ? ServiceClass.RESERVED : ServiceClass.BEST_EFFORT);
                bids.add(random.nextInt(5) == 0 ? withMinimum(b, random.nextInt(101) / 100.0) : b);
            }
            int moves = budgets[random.nextInt(budgets.length)];

            RoundOutcome grouped = ClearingRound.clearInGroups(servers, bids, moves);
            RoundOutcome oneGroup = ClearingRound.clearAsOneGroup(servers, bids, moves);

            assertEquals(oneGroup, grouped, "seed " + seed + ", repair budget " + moves);
            RoundGroups groups = RoundGroups.byReach(servers, ClearingRound.inPriorityOrder(bids), true);
            split += groups.groups().size() > 1 ? 1 : 0;
            joined += groups.groups().stream().anyMatch(g -> metrosIn(g, anchors) > 1) ? 1 : 0;
            long allFull = grouped.unmatched().stream().filter(u -> u.cause() == UnmatchedCause.ALL_FULL).count();
            budgetRunOut += moves < 10 && allFull > moves ? 1 : 0;
        }
        // the worlds do what the test is about: split rounds, metros joined by reach, budgets run out
        assertTrue(split >= 20, "rounds split into several groups: " + split);
        assertTrue(joined >= 10, "rounds with a group of several metros: " + joined);
        assertTrue(budgetRunOut >= 5, "rounds whose repair budget ran out: " + budgetRunOut);
    }

    /** How many of the anchors the group's servers stand near (within 5 degrees). */
    private static long metrosIn(RoundGroups.Group group, double[][] anchors) {
        return java.util.Arrays.stream(anchors).filter(a -> group.servers().stream()
                .anyMatch(s -> Math.abs(s.latitude() - a[0]) < 2.5 && Math.abs(s.longitude() - a[1]) < 2.5)).count();
    }

    private static RoundServer scored(RoundServer s, double reliability) {
        return new RoundServer(s.id(), s.region(), s.latitude(), s.longitude(), s.capacity(), s.reserved(), s.pricing(),
                reliability);
    }

    private static RoundBid withMinimum(RoundBid b, double minReliability) {
        return new RoundBid(b.id(), b.request(), b.latitude(), b.longitude(), b.withinKm(), b.maxPricePerHourMicros(),
                b.placedAt(), minReliability);
    }

    private static double km(RoundBid bid, RoundServer server) {
        double p1 = Math.toRadians(bid.latitude());
        double p2 = Math.toRadians(server.latitude());
        double dp = p2 - p1;
        double dl = Math.toRadians(server.longitude() - bid.longitude());
        double h = Math.pow(Math.sin(dp / 2), 2) + Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(dl / 2), 2);
        return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    private static List<Long> toList(long[] values) {
        List<Long> list = new ArrayList<>();
        for (long v : values) {
            list.add(v);
        }
        return list;
    }
}
