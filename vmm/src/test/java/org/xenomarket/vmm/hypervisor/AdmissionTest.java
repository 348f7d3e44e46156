package org.xenomarket.vmm.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdmissionTest {

    @TempDir
    Path dir;

    @Test
    void admitsALeaseThatFitsExactly() throws Exception {
        Admission.check(TestSpecs.sized("fits", 4, 4096, 20, dir), new HostCapacity(4, 4096, 20));
    }

    @Test
    void refusesALeaseLargerThanTheFreeCapacityAndSaysWhatIsShort() throws Exception {
        GuestSpec spec = TestSpecs.sized("big", 8, 2048, 50, dir);

        GuestStartFailed failed = assertThrows(GuestStartFailed.class,
                () -> Admission.check(spec, new HostCapacity(4, 4096, 20)));

        assertEquals(GuestStartFailed.Reason.INSUFFICIENT_CAPACITY, failed.reason());
        assertTrue(failed.getMessage().contains("8 vCPUs requested, 4 free"), failed.getMessage());
        assertTrue(failed.getMessage().contains("50 GiB disk requested, 20 GiB free"), failed.getMessage());
        assertTrue(!failed.getMessage().contains("memory"), "memory fits and is not blamed: " + failed.getMessage());
    }

    @Test
    void freeCapacityNeverGoesNegative() {
        HostCapacity free = new HostCapacity(2, 1024, 10).minus(new HostCapacity(4, 512, 10));
        assertEquals(new HostCapacity(0, 512, 0), free);
    }
}
