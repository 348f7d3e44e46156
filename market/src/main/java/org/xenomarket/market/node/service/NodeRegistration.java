package org.xenomarket.market.node.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.node.AgentRegistration;
import org.xenomarket.market.node.Node;
import org.xenomarket.market.node.NodePublicKey;
import org.xenomarket.market.node.NodeSettings;
import org.xenomarket.market.node.repository.NodeRepository;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.security.ApiToken;
import org.xenomarket.market.security.Role;
import org.xenomarket.market.security.TokenSecret;
import org.xenomarket.market.security.repository.ApiTokenRepository;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.server.repository.ServerRepository;

/** Registers node agents: checks the host against its server's listing and issues the node token. */
@ApplicationScoped
public class NodeRegistration {

    private static final Logger LOG = Logger.getLogger(NodeRegistration.class);

    /**
     * A registered node and its node token, shown this once (the market keeps only its hash).
     * {@code nextUsageSequence} is the lowest usage record sequence the node may still use.
     */
    public record Registered(UUID id, UUID serverId, String token, Duration heartbeatInterval, Instant registeredAt,
                             long nextUsageSequence) {
    }

    private final NodeRepository nodes;
    private final ServerRepository servers;
    private final ApiTokenRepository tokens;
    private final NodeSettings settings;
    private final Clock clock;
    private final AuditLog audit;

    public NodeRegistration(NodeRepository nodes, ServerRepository servers, ApiTokenRepository tokens,
                            NodeSettings settings, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.nodes = nodes;
        this.servers = servers;
        this.tokens = tokens;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Registers the agent of a provider's server and issues its node token. Registering again
     * replaces the key and revokes the previous token: an agent that lost its state directory
     * comes back this way, and a stolen node token is cut off the same way.
     */
    @WithTransaction
    public Uni<Registered> register(Actor actor, UUID providerId, AgentRegistration request) {
        String publicKey = NodePublicKey.check("publicKey", request.publicKey());
        Instant now = clock.instant();
        return servers.findById(request.serverId()).chain(server -> {
            if (server == null || !server.providerId.equals(providerId)) {
                throw new InvalidInput("serverId", "is not a server of yours");
            }
            requireMatchesListing(server, request);
            return nodes.findByServer(server.id).chain(existing -> {
                String secret = TokenSecret.generate();
                ApiToken token = nodeToken(server, secret, now);
                Node node = existing == null ? new Node() : existing;
                Uni<Integer> revoked = existing == null ? Uni.createFrom().item(0) : tokens.revoke(existing.tokenId, now);
                if (existing == null) {
                    node.id = TimeOrderedId.next();
                    node.serverId = server.id;
                }
                node.tokenId = token.id;
                node.publicKey = publicKey;
                node.hypervisor = request.hypervisor();
                node.hostVcpus = request.hostCapacity().vcpus();
                node.hostMemoryMib = request.hostCapacity().memoryMib();
                node.hostDiskGib = request.hostCapacity().diskGib();
                node.registeredAt = now;
                LOG.infof("Node %s %s for server %s (%s)", node.id, existing == null ? "registered" : "re-registered",
                        server.name, server.id);
                Uni<Long> nextSequence = existing == null ? Uni.createFrom().item(1L)
                        : nodes.nextUsageSequence(existing.id);
                // Audited on the server, whose trail then shows its listing, floors and every node that took it.
                return revoked.chain(() -> tokens.persist(token)).chain(() -> nodes.persist(node))
                        .call(saved -> audit.record(actor, existing == null ? "node.registered" : "node.re-registered",
                                "server", server.id.toString(), existing == null ? null : "node token " + existing.tokenId,
                                "node " + saved.id + ", node token " + token.id, request.hypervisor() + " host with "
                                        + request.hostCapacity().vcpus() + " vCPUs, "
                                        + request.hostCapacity().memoryMib() + " MiB, "
                                        + request.hostCapacity().diskGib() + " GiB"))
                        .chain(saved -> nextSequence.map(next -> new Registered(saved.id, server.id, secret,
                                settings.heartbeatInterval(), now, next)));
            });
        });
    }

    static void requireMatchesListing(Server server, AgentRegistration request) {
        if (request.hypervisor() != server.hypervisor) {
            throw new InvalidInput("hypervisor", "the server is listed with " + server.hypervisor
                    + ", the node reports " + request.hypervisor());
        }
        // The market books up to the listed capacity; a smaller host would be overbooked for real.
        if (request.hostCapacity().vcpus() < server.vcpus) {
            throw new Conflict("capacity.vcpus", "the host has " + request.hostCapacity().vcpus()
                    + " vCPUs for leases but the server is listed with " + server.vcpus);
        }
        if (request.hostCapacity().memoryMib() < server.memoryMib) {
            throw new Conflict("capacity.memoryMib", "the host has " + request.hostCapacity().memoryMib()
                    + " MiB for leases but the server is listed with " + server.memoryMib);
        }
        if (request.hostCapacity().diskGib() < server.diskGib) {
            throw new Conflict("capacity.diskGib", "the host has " + request.hostCapacity().diskGib()
                    + " GiB for leases but the server is listed with " + server.diskGib);
        }
    }

    private static ApiToken nodeToken(Server server, String secret, Instant now) {
        ApiToken token = new ApiToken();
        token.id = TimeOrderedId.next();
        token.accountId = server.providerId;
        token.role = Role.NODE;
        token.serverId = server.id;
        token.tokenHash = TokenSecret.hash(secret);
        token.label = "node of server " + server.name;
        token.createdAt = now;
        return token;
    }
}
