package org.xenomarket.market.node.rest;

import java.time.Instant;
import java.util.UUID;

/**
 * A registered node and its node token. The token is shown this once: the market keeps only its
 * hash, so the agent must store it.
 */
public record RegisteredNodeView(UUID id, UUID serverId, String token, long heartbeatIntervalSeconds,
                                 Instant registeredAt) {
}
