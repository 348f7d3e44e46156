package org.xenomarket.market.node.rest;

import java.util.List;
import java.util.UUID;
import org.xenomarket.market.server.ServerState;

/**
 * The market's answer to a heartbeat: the server's state now, and the reported guests whose lease
 * is no longer active on this server, which the agent must stop.
 */
public record HeartbeatView(ServerState serverState, List<UUID> stopGuests) {
}
