package org.xenomarket.vmm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Network;
import org.xenomarket.vmm.hypervisor.libvirt.NetworkReadiness;

/**
 * {@link HypervisorFactory#checkNetwork}, the half of the agent's start check about the libvirt
 * network guests join: it is defined and active, and on this host's libvirtd the directory
 * libvirt writes the network's MAC list to exists (the agent creates it). Anything missing stops
 * the agent with one line, naming {@code xenomarket.vmm.libvirt.network}, that says what and how to
 * fix it. Runs on libvirt's in-process test driver, whose networks are shared by the connections
 * of one process while one stays open.
 */
class NetworkCheckTest {

    @TempDir
    Path dir;

    private VmmConfig config(String uri, String network) {
        Map<String, String> values = new HashMap<>(Map.of("xenomarket.vmm.work-dir", dir.resolve("vmm").toString(),
                "xenomarket.vmm.libvirt.uri", uri, "xenomarket.vmm.libvirt.network", network));
        return VmmConfig.from(Settings.read(VmmSettings.class, values));
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n"), "one line: " + message);
    }

    @Test
    void anActiveNetworkPasses() {
        HypervisorFactory.checkNetwork(config("test:///default", "default"), NetworkReadiness.onThisHost());
    }

    @Test
    void aNetworkThatIsNotDefinedStopsTheAgentSayingHowToDefineIt() {
        String name = "xm-missing-" + UUID.randomUUID().toString().substring(0, 8);

        InvalidVmmConfig refused = assertThrows(InvalidVmmConfig.class,
                () -> HypervisorFactory.checkNetwork(config("test:///default", name), NetworkReadiness.onThisHost()));

        assertEquals("xenomarket.vmm.libvirt.network", refused.key());
        assertTrue(refused.getMessage().contains("libvirt network '" + name + "' is not defined on test:///default"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("net-define"), refused.getMessage());
        assertOneLine(refused.getMessage());
    }

    @Test
    void aNetworkThatIsDefinedButNotActiveStopsTheAgentSayingHowToStartIt() throws Exception {
        String name = "xm-idle-" + UUID.randomUUID().toString().substring(0, 8);
        Connect connect = new Connect("test:///default");
        Network idle = connect.networkDefineXML("""
                <network><name>%s</name><bridge name='%s'/><ip address='10.214.7.1' netmask='255.255.255.0'/></network>"""
                .formatted(name, "xmi" + name.substring(name.length() - 8)));
        try {
            InvalidVmmConfig refused = assertThrows(InvalidVmmConfig.class, () -> HypervisorFactory.checkNetwork(
                    config("test:///default", name), NetworkReadiness.onThisHost()));

            assertTrue(refused.getMessage().contains("'" + name + "' is defined on test:///default but not active"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("net-start " + name), refused.getMessage());
            assertOneLine(refused.getMessage());
        } finally {
            idle.undefine();
            connect.close();
        }
    }

    @Test
    void onThisHostsLibvirtdTheMissingStateDirectoryIsCreated() {
        Path state = dir.resolve("var/lib/libvirt/dnsmasq");
        // The directory comes first: with it made, the network is looked up on a libvirtd that may
        // not run here, and the answer is about the network, not the directory.
        InvalidVmmConfig lookedUp = assertThrows(InvalidVmmConfig.class, () -> HypervisorFactory.checkNetwork(
                config("qemu:///system", "xm-missing-" + UUID.randomUUID().toString().substring(0, 8)),
                NetworkReadiness.withStateDirectory(state)));

        assertTrue(Files.isDirectory(state), "created " + state);
        assertFalse(lookedUp.getMessage().contains(state.toString()), lookedUp.getMessage());
    }

    @Test
    void aStateDirectoryThatCannotBeMadeStopsTheAgentSayingHowToMakeIt() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        Path state = file.resolve("dnsmasq");

        InvalidVmmConfig refused = assertThrows(InvalidVmmConfig.class, () -> HypervisorFactory.checkNetwork(
                config("qemu:///system", "default"), NetworkReadiness.withStateDirectory(state)));

        assertEquals("xenomarket.vmm.libvirt.network", refused.key());
        assertTrue(refused.getMessage().contains("libvirt needs the directory " + state), refused.getMessage());
        assertTrue(refused.getMessage().contains("mkdir -p " + state), refused.getMessage());
        assertOneLine(refused.getMessage());
    }

    @Test
    void theTestDriverNeedsNoStateDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        // A directory that could never be made: not needed on the test driver, so not reported.
        HypervisorFactory.checkNetwork(config("test:///default", "default"),
                NetworkReadiness.withStateDirectory(file.resolve("dnsmasq")));
    }
}
