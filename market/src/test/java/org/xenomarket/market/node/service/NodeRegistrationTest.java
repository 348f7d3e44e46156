package org.xenomarket.market.node.service;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.node.AgentRegistration;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.server.Hypervisor;
import org.xenomarket.market.server.Server;
import org.xenomarket.pricing.ResourceVector;

class NodeRegistrationTest {

    private static Server listed() {
        Server server = new Server();
        server.id = UUID.randomUUID();
        server.hypervisor = Hypervisor.KVM;
        server.vcpus = 8;
        server.memoryMib = 16384;
        server.diskGib = 200;
        return server;
    }

    private static AgentRegistration host(Hypervisor hypervisor, int vcpus, long memoryMib, long diskGib) {
        return new AgentRegistration(UUID.randomUUID(), "key", hypervisor, new ResourceVector(vcpus, memoryMib, diskGib));
    }

    @Test
    void aHostAtLeastAsBigAsItsListingUnderTheListedHypervisorIsAccepted() {
        assertDoesNotThrow(() -> NodeRegistration.requireMatchesListing(listed(), host(Hypervisor.KVM, 8, 16384, 200)));
        assertDoesNotThrow(() -> NodeRegistration.requireMatchesListing(listed(), host(Hypervisor.KVM, 16, 32768, 400)));
    }

    @Test
    void anotherHypervisorIsBadInput() {
        InvalidInput refused = assertThrows(InvalidInput.class,
                () -> NodeRegistration.requireMatchesListing(listed(), host(Hypervisor.XEN, 8, 16384, 200)));
        assertEquals("hypervisor", refused.errors().get(0).field());
    }

    @Test
    void aHostSmallerThanItsListingConflictsNamingTheResource() {
        assertEquals("capacity.vcpus", conflictField(host(Hypervisor.KVM, 7, 16384, 200)));
        assertEquals("capacity.memoryMib", conflictField(host(Hypervisor.KVM, 8, 16383, 200)));
        assertEquals("capacity.diskGib", conflictField(host(Hypervisor.KVM, 8, 16384, 199)));
    }

    private static String conflictField(AgentRegistration registration) {
        return assertThrows(Conflict.class, () -> NodeRegistration.requireMatchesListing(listed(), registration))
                .errors().get(0).field();
    }
}
