package org.xenomarket.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Issue 17, items 5 and 7 and two of its faults, at CI size ({@link MarketSimulation.Scale#ci()}):
 * three replicas share the regions evenly; one is SIGKILLed mid-day and the others hold its regions
 * within one round interval; the simulation's own NATS server is restarted while agents publish.
 * At the end, by SQL: no slot over capacity and every slot holding exactly its leases, no bid booked
 * twice, and every usage record an agent had acknowledged stored exactly once (count and sums,
 * records and hourly rollups alike). The database is the simulation's own, made afresh.
 */
class MarketSimulationTest {

    @Test
    void aCompressedDayOnThreeReplicasLosesAndDoublesNothingThroughAReplicaKillAndANatsRestart() throws Exception {
        MarketSimulation.Scale scale = MarketSimulation.Scale.ci();
        MarketSimulation.Outcome outcome = new MarketSimulation(scale, E2e.DATABASE + "_simci").run();
        System.out.print(outcome.report());
        String report = "\n" + outcome.report();

        int regions = outcome.regionsHeld().stream().mapToInt(Integer::intValue).sum();
        assertTrue(regions >= scale.regions(), "every region held" + report);
        int floor = regions / scale.replicas();
        assertTrue(outcome.regionsHeld().stream().allMatch(n -> n == floor || n == floor + 1),
                "the regions spread evenly over the replicas" + report);
        assertTrue(outcome.handoverMillis() >= 0 && outcome.handoverMillis() <= scale.roundInterval().toMillis(),
                "the killed replica's regions held by the others within one round interval" + report);

        assertTrue(outcome.leases() > 0 && outcome.leases() < outcome.bidsPlaced(),
                "rounds booked bids, and demand outgrew capacity" + report);
        assertEquals(0, outcome.bidsBookedTwice(), "no bid booked twice" + report);
        assertEquals(0, outcome.slotsOverCapacity(), "no slot over capacity" + report);
        assertEquals(0, outcome.slotsNotMatchingLeases(), "every slot holds exactly what its leases hold" + report);

        assertTrue(outcome.natsSendsFailed() > 0, "agents published while NATS was down, and sent again" + report);
        assertTrue(outcome.recordsDelivered() > 0, "agents metered usage" + report);
        assertEquals(outcome.recordsDelivered(), outcome.recordsStored(), "no usage record lost or doubled" + report);
        assertEquals(outcome.cpuDelivered(), outcome.cpuStored(), "usage summed exactly as delivered" + report);
        assertEquals(outcome.cpuStored(), outcome.cpuInHourlyRollup(), "hourly rollups add up to the records" + report);
        assertEquals(outcome.recordHourPieces(), outcome.recordsInHourlyRollup(),
                "each record rolled up once into every hour it covers" + report);
        assertEquals(scale.regions(), outcome.roundMillis().size(), "every region had rounds" + report);
    }
}
