package org.xenomarket.market.clearing.round;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xenomarket.market.clearing.round.RoundFixtures.bid;
import static org.xenomarket.market.clearing.round.RoundFixtures.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xenomarket.pricing.ServiceClass;

/** How a round splits into groups that share no server: by the sites its bids can reach. */
class RoundGroupsTest {

    // Cambridge and Amsterdam are some 330 km apart; Sydney is on the other side of the world
    private static final double[] CAMBRIDGE = {52.2053, 0.1218};
    private static final double[] AMSTERDAM = {52.3676, 4.9041};
    private static final double[] SYDNEY = {-33.8688, 151.2093};

    private final RoundServer cam1 = server("cam-1", CAMBRIDGE[0], CAMBRIDGE[1], 8, 10_000);
    private final RoundServer cam2 = server("cam-2", CAMBRIDGE[0], CAMBRIDGE[1], 8, 10_000);
    private final RoundServer ams = server("ams", AMSTERDAM[0], AMSTERDAM[1], 8, 10_000);
    private final RoundServer syd = server("syd", SYDNEY[0], SYDNEY[1], 8, 10_000);

    @Test
    void bidsThatReachOnlyTheirOwnMetroMakeOneGroupPerMetro() {
        RoundBid nearCambridge = bid(1, CAMBRIDGE[0], CAMBRIDGE[1], 100, 1, 1, 100_000, ServiceClass.RESERVED);
        RoundBid nearAmsterdam = bid(2, AMSTERDAM[0], AMSTERDAM[1], 100, 1, 1, 100_000, ServiceClass.RESERVED);
        RoundBid nearSydney = bid(3, SYDNEY[0], SYDNEY[1], 100, 1, 1, 100_000, ServiceClass.RESERVED);

        RoundGroups split = split(List.of(cam1, ams, syd, cam2), nearCambridge, nearAmsterdam, nearSydney);

        assertEquals(Set.of(Set.of(cam1.id(), cam2.id()), Set.of(ams.id()), Set.of(syd.id())), serverIds(split));
        assertEquals(3, split.groups().size());
        for (RoundGroups.Group g : split.groups()) {
            assertEquals(1, g.bids().length);
        }
    }

    @Test
    void aBidWhoseReachTakesInTwoMetrosJoinsThemAndTheirBidsInOneGroup() {
        RoundBid nearCambridge = bid(1, CAMBRIDGE[0], CAMBRIDGE[1], 100, 1, 1, 100_000, ServiceClass.RESERVED);
        RoundBid nearAmsterdam = bid(2, AMSTERDAM[0], AMSTERDAM[1], 100, 1, 1, 100_000, ServiceClass.RESERVED);
        // over the North Sea, 250 km: reaches both cities
        RoundBid between = bid(3, 52.3, 2.5, 250, 1, 1, 100_000, ServiceClass.RESERVED);
        RoundBid nearSydney = bid(4, SYDNEY[0], SYDNEY[1], 100, 1, 1, 100_000, ServiceClass.RESERVED);

        RoundGroups split = split(List.of(cam1, ams, syd, cam2), nearCambridge, nearAmsterdam, between, nearSydney);

        assertEquals(Set.of(Set.of(cam1.id(), cam2.id(), ams.id()), Set.of(syd.id())), serverIds(split));
        RoundGroups.Group europe = split.groups().stream().filter(g -> g.servers().contains(ams)).findFirst()
                .orElseThrow();
        assertEquals(3, europe.bids().length);
    }

    @Test
    void reachesLinkedThroughAChainOfBidsEndInOneGroup() {
        // five sites 150 km apart along a line; each bid reaches two neighbours, none reaches both ends
        List<RoundServer> servers = new ArrayList<>();
        List<RoundBid> bids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            servers.add(server("chain-" + i, 48.0, 2.0 + i * 150 / 74.4, 4, 10_000));
        }
        for (int i = 0; i < 4; i++) {
            bids.add(bid(i, 48.0, 2.0 + (i * 150 + 75) / 74.4, 80, 1, 1, 100_000, ServiceClass.RESERVED));
        }

        RoundGroups split = split(servers, bids.toArray(RoundBid[]::new));

        assertEquals(1, split.groups().size());
        assertEquals(5, split.groups().get(0).servers().size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, split.groups().get(0).bids());
    }

    @Test
    void aBidThatReachesNoServerIsInNoGroupAndAServerNoBidReachesIsLeftOut() {
        RoundBid nearCambridge = bid(1, CAMBRIDGE[0], CAMBRIDGE[1], 100, 1, 1, 100_000, ServiceClass.RESERVED);
        RoundBid midPacific = bid(2, 0, -150, 500, 1, 1, 100_000, ServiceClass.RESERVED);

        RoundBid[] ordered = ClearingRound.inPriorityOrder(List.of(nearCambridge, midPacific));
        RoundGroups split = RoundGroups.byReach(List.of(cam1, syd), ordered, true);

        assertEquals(Set.of(Set.of(cam1.id())), serverIds(split));
        assertEquals(1, split.outOfReach().length);
        assertEquals(midPacific, ordered[split.outOfReach()[0]]);
    }

    /** With enough bids to walk them in slices on both cores, the groups are those of one walk. */
    @Test
    void walkingTheBidsInSlicesGivesTheSameGroups() {
        SplittableRandom random = new SplittableRandom(0x4752_4f55_5053_0001L);
        double[][] metros = {CAMBRIDGE, AMSTERDAM, SYDNEY, {40.71, -74.0}, {1.35, 103.8}, {-23.5, -46.6}};
        List<RoundServer> servers = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            double[] m = metros[random.nextInt(metros.length)];
            servers.add(server("s" + i, m[0] + random.nextDouble(-3, 3), m[1] + random.nextDouble(-3, 3), 8, 10_000));
        }
        List<RoundBid> bids = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            double[] m = metros[random.nextInt(metros.length)];
            bids.add(bid(i, m[0] + random.nextDouble(-4, 4), m[1] + random.nextDouble(-4, 4),
                    1 + random.nextInt(random.nextInt(50) == 0 ? 3_000 : 300), 1, 1, 100_000, ServiceClass.RESERVED));
        }
        RoundBid[] ordered = ClearingRound.inPriorityOrder(bids);

        RoundGroups sliced = RoundGroups.byReach(servers, ordered, true);
        RoundGroups whole = RoundGroups.byReach(servers, ordered, false);

        assertEquals(whole.groups().size(), sliced.groups().size());
        for (int g = 0; g < whole.groups().size(); g++) {
            assertEquals(whole.groups().get(g).servers(), sliced.groups().get(g).servers());
            assertArrayEquals(whole.groups().get(g).bids(), sliced.groups().get(g).bids());
        }
        assertArrayEquals(whole.outOfReach(), sliced.outOfReach());
        // the few long reaches join Cambridge and Amsterdam, but not the other continents
        assertTrue(whole.groups().size() >= 4, "groups: " + whole.groups().size());
    }

    private static RoundGroups split(List<RoundServer> servers, RoundBid... bids) {
        return RoundGroups.byReach(servers, ClearingRound.inPriorityOrder(List.of(bids)), true);
    }

    private static Set<Set<java.util.UUID>> serverIds(RoundGroups split) {
        return split.groups().stream()
                .map(g -> g.servers().stream().map(RoundServer::id).collect(Collectors.toSet()))
                .collect(Collectors.toSet());
    }
}
