package org.xenomarket.vmm;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs of this machine beyond the repository (libvirtd, a guest kernel, root). On a
 * developer's machine without it the test is skipped, saying why; under CI ({@code CI=true}),
 * whose {@code .ci/} scripts provide all of it, the test fails instead, so CI can never pass with
 * the real-guest tests silently skipped.
 */
public final class HostPrerequisite {

    private HostPrerequisite() {
    }

    /** Skips (or, under CI, fails) the calling test unless {@code met}, naming {@code what} is missing. */
    public static void require(boolean met, String what) {
        if (met) {
            return;
        }
        if (underCi()) {
            Assertions.fail("this CI machine lacks what the test needs: " + what
                    + " (under CI=true a missing prerequisite fails the test instead of skipping it)");
        }
        Assumptions.abort(what);
    }

    /** True when the CI variable says so, as CI systems (and .ci/run's caller) set it. */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
