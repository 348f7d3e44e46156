package org.xenomarket.market.node.rest;

import java.time.Instant;
import java.util.UUID;

/**
 * A registered node and its node token. The token is shown this once: the market keeps only its
 * hash, so the agent must store it. {@code nextUsageSequence} is the lowest usage record sequence
 * the node may still use (1 + the highest the market accepted from it): an agent that registers
 * again after losing its state raises its numbering to it.
 */
public record RegisteredNodeView(UUID id, UUID serverId, String token, long heartbeatIntervalSeconds,
                                 Instant registeredAt, long nextUsageSequence) {
}
