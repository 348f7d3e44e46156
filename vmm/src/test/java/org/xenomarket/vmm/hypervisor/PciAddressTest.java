package org.xenomarket.vmm.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PciAddressTest {

    @Test
    void readsTheMarketsFormAndWritesItBackInLowerCase() {
        PciAddress a = PciAddress.parse("0000:B3:1F.7");
        assertEquals(new PciAddress(0, 0xb3, 0x1f, 7), a);
        assertEquals("0000:b3:1f.7", a.toString());
        assertEquals("0xb3", a.busHex());
        assertEquals("0x1f", a.slotHex());
        assertEquals("0x7", a.functionHex());
    }

    @Test
    void refusesWhatIsNoPciAddress() {
        for (String bad : new String[] {"65:00.0", "0000:65:20.0", "0000:65:00.8", "#0", "", "0000:65:00.0 "}) {
            assertThrows(IllegalArgumentException.class, () -> PciAddress.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> PciAddress.parse(null));
    }
}
