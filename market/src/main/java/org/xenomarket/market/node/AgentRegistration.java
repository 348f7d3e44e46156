package org.xenomarket.market.node;

import java.util.UUID;
import org.xenomarket.market.server.Hypervisor;
import org.xenomarket.pricing.ResourceVector;

/**
 * A provider registers the node agent of one of its servers: the agent's Ed25519 public key, the
 * hypervisor it drives and what its host really has for leases, as the agent measured it.
 */
public record AgentRegistration(UUID serverId, String publicKey, Hypervisor hypervisor, ResourceVector hostCapacity) {
}
