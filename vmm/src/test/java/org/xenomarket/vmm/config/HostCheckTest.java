package org.xenomarket.vmm.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenomarket.vmm.HostPrerequisite;
import org.xenomarket.vmm.hypervisor.libvirt.EgressPolicing;

/**
 * {@link HypervisorFactory#checkEgress}, half of {@link HypervisorFactory#checkHost}: a libvirt
 * network on QEMU/KVM is refused, as a bad value of
 * {@code xenomarket.vmm.libvirt.network} with the fix, exactly when this host's kernel cannot
 * police the egress caps libvirt would put on every guest; other settings are not probed.
 */
class HostCheckTest {

    @TempDir
    Path dir;

    private VmmConfig config(String... keysAndValues) {
        Map<String, String> values = new HashMap<>(Map.of("xenomarket.vmm.work-dir", dir.resolve("vmm").toString()));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return VmmConfig.from(Settings.read(VmmSettings.class, values));
    }

    @Test
    void aNetworkIsRefusedExactlyWhenThisHostCannotPoliceEgress() throws Exception {
        HostPrerequisite.require("root".equals(System.getProperty("user.name")), "the probe needs root");
        VmmConfig config = config("xenomarket.vmm.libvirt.uri", "qemu:///system",
                "xenomarket.vmm.libvirt.domain-type", "qemu", "xenomarket.vmm.libvirt.network", "default");
        EgressPolicing.Verdict verdict = EgressPolicing.onThisHost().probe();
        System.out.println("egress policing on this host: " + verdict);

        switch (verdict.outcome()) {
            case POLICES -> assertDoesNotThrow(() -> HypervisorFactory.checkEgress(config, EgressPolicing.onThisHost()));
            case CANNOT_POLICE -> {
                InvalidVmmConfig refused = assertThrows(InvalidVmmConfig.class, () -> HypervisorFactory.checkEgress(config, EgressPolicing.onThisHost()));
                assertEquals("xenomarket.vmm.libvirt.network", refused.key());
                String message = refused.getMessage();
                assertTrue(message.contains("cannot enforce the egress cap") && message.contains("'default'"), message);
                // tc's own words, as the probe heard them (the interface name differs from run to run).
                String tcSaid = verdict.detail().substring(verdict.detail().indexOf("failed: "));
                assertTrue(message.contains(tcSaid), message);
                assertTrue(message.contains("act_police") && message.contains("unset xenomarket.vmm.libvirt.network"),
                        "says how to fix it: " + message);
            }
            case CANNOT_CHECK -> throw new AssertionError("as root, with iproute2, the probe runs: " + verdict);
        }
    }

    @Test
    void aHostThatCannotBeCheckedIsRefusedSayingWhy() throws Exception {
        VmmConfig config = config("xenomarket.vmm.libvirt.network", "default");
        EgressPolicing noTools = EgressPolicing.withCommandsIn(List.of(Files.createDirectory(dir.resolve("empty"))));

        InvalidVmmConfig refused = assertThrows(InvalidVmmConfig.class, () -> HypervisorFactory.checkEgress(config, noTools));
        assertEquals("xenomarket.vmm.libvirt.network", refused.key());
        assertTrue(refused.getMessage().contains("the ip command (iproute2) is not installed")
                && refused.getMessage().contains("install iproute2"), refused.getMessage());
    }

    @Test
    void noNetworkXenARemoteHostOrTheSimulatedDriverAreNotProbed() throws Exception {
        // A probe that could only answer "cannot check": not asked, so nothing is refused.
        EgressPolicing noTools = EgressPolicing.withCommandsIn(List.of(Files.createDirectory(dir.resolve("empty"))));

        HypervisorFactory.checkEgress(config(), noTools);
        HypervisorFactory.checkEgress(config("xenomarket.vmm.libvirt.uri", "xen:///system",
                "xenomarket.vmm.libvirt.network", "default"), noTools);
        HypervisorFactory.checkEgress(config("xenomarket.vmm.libvirt.uri", "qemu+ssh://root@host/system",
                "xenomarket.vmm.libvirt.network", "default"), noTools);
        HypervisorFactory.checkEgress(config("xenomarket.vmm.libvirt.uri", "test:///default",
                "xenomarket.vmm.libvirt.network", "default"), noTools);
        HypervisorFactory.checkEgress(config("xenomarket.vmm.driver", "simulated",
                "xenomarket.vmm.libvirt.network", "default"), noTools);
    }
}
