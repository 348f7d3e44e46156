package org.xenomarket.vmm.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xenomarket.vmm.hypervisor.LeaseId;
import org.xenomarket.vmm.hypervisor.PciAddress;

/** The devices the market assigns a lease become the guest's passthrough; unaddressed devices pass nothing. */
class LeasePassthroughTest {

    private static LeaseAssignment holding(List<String> devices) {
        return new LeaseAssignment(LeaseId.of("l"), "PENDING", 1, 512, 5, Instant.EPOCH, Instant.EPOCH.plusSeconds(3600),
                null, 0, false, null, null, devices);
    }

    @Test
    void pciAddressesArePassedThroughInTheMarketsOrder() {
        assertEquals(List.of(PciAddress.parse("0000:66:00.0"), PciAddress.parse("0000:65:00.0")),
                LeaseKeeper.passthrough(holding(List.of("0000:66:00.0", "0000:65:00.0"))));
    }

    @Test
    void devicesOfAServerListedWithoutAddressesPassNothing() {
        assertEquals(List.of(), LeaseKeeper.passthrough(holding(List.of("#0", "#1"))));
        assertEquals(List.of(), LeaseKeeper.passthrough(holding(null)));
    }
}
