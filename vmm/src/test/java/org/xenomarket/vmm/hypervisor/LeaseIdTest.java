package org.xenomarket.vmm.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LeaseIdTest {

    @Test
    void acceptsMarketStyleIds() {
        assertEquals("lease_01H.x-9", LeaseId.of("lease_01H.x-9").value());
    }

    @Test
    void refusesIdsThatCouldEscapeADomainNameOrDirectory() {
        assertThrows(IllegalArgumentException.class, () -> LeaseId.of("../etc"));
        assertThrows(IllegalArgumentException.class, () -> LeaseId.of("a/b"));
        assertThrows(IllegalArgumentException.class, () -> LeaseId.of("<x>"));
        assertThrows(IllegalArgumentException.class, () -> LeaseId.of(""));
        assertThrows(IllegalArgumentException.class, () -> LeaseId.of("x".repeat(65)));
    }
}
