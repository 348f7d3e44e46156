package org.xenomarket.market.capacity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.pricing.ResourceVector;

class CapacityDaysTest {

    private static final UUID SERVER = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-000000000002");

    @Test
    void aWindowOverMidnightFillsTheHoursOfBothDays() {
        CapacityWindow window = CapacityWindow.covering(Instant.parse("2026-12-07T22:30:00Z"),
                Instant.parse("2026-12-08T01:30:00Z"));
        CapacityDays.Parameters p = new CapacityDays().add(SERVER, new ResourceVector(2, 4096, 10), window).parameters();

        assertArrayEquals(new UUID[] {SERVER, SERVER}, p.serverIds());
        assertArrayEquals(new String[] {"2026-12-07", "2026-12-08"}, p.days());
        assertEquals("{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,2}", p.vcpus()[0]);
        assertEquals("{2,2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}", p.vcpus()[1]);
        assertEquals("{4096,4096,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}", p.memoryMib()[1]);
        assertEquals("{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,10,10}", p.diskGib()[0]);
    }

    @Test
    void reservationsSharingAServerDaySumHourByHour() {
        CapacityDays days = CapacityDays.of(List.of(
                new CapacityRepository.Reservation(SERVER, new ResourceVector(1, 1, 1),
                        new CapacityWindow(Instant.parse("2026-12-07T03:00:00Z"), 2)),
                new CapacityRepository.Reservation(OTHER, new ResourceVector(5, 5, 5),
                        new CapacityWindow(Instant.parse("2026-12-07T00:00:00Z"), 1)),
                new CapacityRepository.Reservation(SERVER, new ResourceVector(2, 2, 2),
                        new CapacityWindow(Instant.parse("2026-12-07T04:00:00Z"), 2))));

        assertEquals(2, days.size(), "one row per server-day, however many leases share it");
        CapacityDays.Parameters p = days.parameters();
        assertEquals("{0,0,0,1,3,2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}", p.vcpus()[p.serverIds()[0].equals(SERVER) ? 0 : 1]);
    }

    @Test
    void aReleaseTakesTheAmountsOff() {
        CapacityDays.Parameters p = new CapacityDays()
                .subtract(SERVER, new ResourceVector(3, 0, 0), new CapacityWindow(Instant.parse("2026-12-07T23:00:00Z"), 1))
                .parameters();
        assertEquals("{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,-3}", p.vcpus()[0]);
    }
}
