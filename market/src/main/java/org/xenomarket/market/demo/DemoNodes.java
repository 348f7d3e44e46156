package org.xenomarket.market.demo;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.account.repository.AccountRepository;
import org.xenomarket.market.database.DatabaseBootstrap;
import org.xenomarket.market.node.AgentRegistration;
import org.xenomarket.market.node.Heartbeat;
import org.xenomarket.market.node.service.Heartbeats;
import org.xenomarket.market.node.service.NodeRegistration;
import org.xenomarket.market.security.TokenSecret;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.security.repository.ApiTokenRepository;
import org.xenomarket.market.server.Server;
import org.xenomarket.market.server.repository.ServerRepository;
import org.xenomarket.pricing.ResourceVector;

/**
 * Stands in for the node agents of the demo's servers, so they are bookable as soon as the demo
 * starts: at start it registers a node for each demo server (through {@link NodeRegistration} and {@link Heartbeats}, as an
 * agent's registration would) and then heartbeats for it at the heartbeat interval, reporting the
 * whole server free and no guests. It starts no guests: leases on demo servers stay PENDING. To
 * see a lease run, list a new server and run the real agent (module {@code vmm}) for it; a demo
 * server whose node a real agent re-registers is left to that agent.
 */
@ApplicationScoped
public class DemoNodes {

    private static final Logger LOG = Logger.getLogger(DemoNodes.class);

    private final boolean enabled;
    private final AccountRepository accounts;
    private final ServerRepository servers;
    private final ApiTokenRepository tokens;
    private final NodeRegistration nodes;
    private final Heartbeats heartbeats;
    /** Node token secret per demo server this stand-in heartbeats for. */
    private final Map<UUID, String> standIns = new ConcurrentHashMap<>();

    public DemoNodes(@ConfigProperty(name = "xenomarket.demo.enabled", defaultValue = "false") boolean enabled,
                     AccountRepository accounts, ServerRepository servers, ApiTokenRepository tokens, NodeRegistration nodes,
                     Heartbeats heartbeats) {
        this.heartbeats = heartbeats;
        this.enabled = enabled;
        this.accounts = accounts;
        this.servers = servers;
        this.tokens = tokens;
        this.nodes = nodes;
    }

    // After DemoData has seeded the servers.
    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 20) StartupEvent event) throws Throwable {
        if (!enabled) {
            return;
        }
        VertxContextSupport.subscribeAndAwait(this::registerAll);
        VertxContextSupport.subscribeAndAwait(this::heartbeatAll);
        LOG.infof("Demo: standing in for the node agents of %d demo servers", standIns.size());
    }

    @Scheduled(every = "${xenomarket.node.heartbeat-interval:PT15S}", delayed = "${xenomarket.node.heartbeat-interval:PT15S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return standIns.isEmpty() ? Uni.createFrom().voidItem() : heartbeatAll();
    }

    private Uni<Void> registerAll() {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DemoCatalogue.DemoAccount account : DemoCatalogue.ACCOUNTS) {
            for (DemoCatalogue.DemoServer demo : account.servers()) {
                chain = chain.chain(() -> Panache.withSession(() -> accounts.findByName(account.name())
                                .chain(owner -> servers.findByProviderAndName(owner.id, demo.name()))))
                        .chain(server -> nodes.register(Actor.MARKET, server.providerId, registration(server))
                                .invoke(node -> standIns.put(server.id, node.token())))
                        .replaceWithVoid();
            }
        }
        return chain;
    }

    private Uni<Void> heartbeatAll() {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<UUID, String> standIn : List.copyOf(standIns.entrySet())) {
            chain = chain.chain(() -> Panache.withSession(() -> tokens.findActiveByHash(TokenSecret.hash(standIn.getValue())))
                    .chain(token -> {
                        if (token == null) {
                            // A real agent registered for this server: it heartbeats from now on.
                            standIns.remove(standIn.getKey());
                            return Uni.createFrom().voidItem();
                        }
                        return Panache.withSession(() -> servers.findById(standIn.getKey()))
                                .chain(server -> heartbeats.heartbeat(server.id, new Heartbeat(
                                        new ResourceVector(server.vcpus, server.memoryMib, server.diskGib), List.of())))
                                .replaceWithVoid();
                    }));
        }
        return chain;
    }

    private static AgentRegistration registration(Server server) {
        return new AgentRegistration(server.id, freshPublicKey(), server.hypervisor,
                new ResourceVector(server.vcpus, server.memoryMib, server.diskGib));
    }

    private static String freshPublicKey() {
        try {
            return Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK since 15 has Ed25519", e);
        }
    }
}
