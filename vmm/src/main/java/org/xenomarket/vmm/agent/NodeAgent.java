package org.xenomarket.vmm.agent;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.xenomarket.metering.signing.NodeKeys;
import org.xenomarket.metering.upload.Backoff;
import org.xenomarket.vmm.config.HypervisorFactory;
import org.xenomarket.vmm.config.InvalidVmmConfig;
import org.xenomarket.vmm.hypervisor.AdoptionReport;
import org.xenomarket.vmm.hypervisor.GuestAdoption;
import org.xenomarket.vmm.hypervisor.Hypervisor;
import org.xenomarket.vmm.hypervisor.HypervisorException;
import org.xenomarket.vmm.hypervisor.LeaseId;
import java.net.URI;
import org.xenomarket.vmm.image.ImageCache;
import org.xenomarket.vmm.image.ImagePeerServer;

/**
 * The node agent process: registers this server's node with the market (once; the node token is
 * kept in the state directory), heartbeats, polls lease assignments and runs them through the
 * configured hypervisor. A server-sent event stream from the market wakes it as soon as a lease
 * of its server changes; polling stays as the fallback. After a restart it adopts the guests still running and stops those with
 * no lease. When the market cannot be reached it keeps its guests running and retries with
 * backoff.
 *
 * <p>{@link NodeAgentApplication} runs it in the agent process; {@link #stop()} ends it between rounds.
 */
public final class NodeAgent {

    private static final System.Logger LOG = System.getLogger(NodeAgent.class.getName());

    private final AgentConfig config;
    private final Clock clock;
    private final MarketClient market;
    private final NodeCredentials credentials;
    private final Backoff backoff;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Wakeup wakeup = new Wakeup();

    public NodeAgent(AgentConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.market = new MarketClient(config.marketUrl());
        this.credentials = new NodeCredentials(config.stateDir());
        // Jittered, so that agents coming back after a market outage do not all call at once; the
        // cap must stay well below the market's heartbeat timeout, or a market restart fails leases.
        Duration initial = config.retryMax().compareTo(Duration.ofSeconds(1)) < 0 ? config.retryMax() : Duration.ofSeconds(1);
        this.backoff = Backoff.exponential(initial, config.retryMax())
                .withJitter(java.util.random.RandomGenerator.getDefault());
    }

    /** Asks the loop to end after its current round; guests keep running. */
    public void stop() {
        stopped.countDown();
        wakeup.signal();
    }

    /** Runs until {@link #stop()}. */
    public void run() throws IOException, HypervisorException, MarketRefused, InterruptedException {
        KeyPair key = credentials.key();
        long sequenceFloor = 0;
        String token;
        var savedToken = credentials.token();
        if (savedToken.isPresent()) {
            token = savedToken.get();
        } else {
            MarketClient.Registration registration = register(key);
            if (registration == null) {
                LOG.log(Level.INFO, "node agent stopped before it could register");
                return;
            }
            token = registration.token();
            sequenceFloor = registration.nextUsageSequence();
        }
        var nodeId = credentials.nodeId();
        ImagePeerServer peerServer = null;
        try (Hypervisor hypervisor = HypervisorFactory.open(config.vmm(), clock);
             UsageMetering metering = nodeId.isEmpty() ? null : new UsageMetering(config.stateDir(), nodeId.get(), key,
                     sequenceFloor, hypervisor, clock, config.usage());
             LeaseEventStream events = new LeaseEventStream(config.marketUrl(), token, streamBackoff(), wakeup::signal)) {
            if (metering == null) {
                LOG.log(Level.ERROR, "usage is NOT metered: " + config.stateDir() + " has a node token but no node-id "
                        + "(written at registration since metering exists); register this node again to meter usage");
            } else {
                metering.start(market, token, backoff);
            }
            ImageCache images = new ImageCache(config.stateDir().resolve("images"));
            LeaseKeeper keeper = new LeaseKeeper(hypervisor, market, config.boot(), config.cpuQuotaPercent(),
                    config.vmm().stopGrace(), clock, metering == null ? lease -> { } : metering::recordNow, images,
                    config.stateDir().resolve("moves"));
            // The site cache: this agent's verified files, served to the site's other agents if configured.
            peerServer = config.imagePeer().isEmpty() ? null
                    : ImagePeerServer.start(images, config.imagePeer().get().bind());
            URI peerUrl = config.imagePeer().map(AgentConfig.ImagePeer::url).orElse(null);
            events.start();
            boolean adopted = false;
            Instant nextHeartbeat = Instant.MIN;
            // A move's upload or fetch of a real guest (hundreds of MiB to GiB) can outlast the market's
            // heartbeat timeout, which would take this server offline and fail the move: between its
            // chunks the node still reports in. What that answer asks to stop waits for the round's own.
            java.util.concurrent.atomic.AtomicReference<Instant> nextMoveHeartbeat =
                    new java.util.concurrent.atomic.AtomicReference<>(clock.instant().plus(config.heartbeatInterval()));
            market.betweenChunks(() -> {
                if (clock.instant().isBefore(nextMoveHeartbeat.get())) {
                    return;
                }
                nextMoveHeartbeat.set(clock.instant().plus(config.heartbeatInterval()));
                try {
                    market.heartbeat(token, hypervisor.freeCapacity(), hypervisor.guests(), images.held(), peerUrl);
                } catch (MarketUnreachable | MarketRefused | HypervisorException e) {
                    LOG.log(Level.WARNING, "heartbeat between a move's chunks: " + e.getMessage());
                }
            });
            List<LeaseAssignment> assignments = List.of();
            int failures = 0;
            LOG.log(Level.INFO, "node agent for server {0} running; market {1}", config.serverId(), config.marketUrl());
            while (stopped.getCount() > 0) {
                Duration pause;
                try {
                    if (!clock.instant().isBefore(nextHeartbeat)) {
                        MarketClient.HeartbeatAnswer answer = market.heartbeat(token, hypervisor.freeCapacity(),
                                hypervisor.guests(), images.held(), peerUrl);
                        nextHeartbeat = clock.instant().plus(config.heartbeatInterval());
                        for (LeaseId lease : answer.stopGuests()) {
                            keeper.stop(lease, "the market says its lease is over");
                        }
                    }
                    assignments = market.assignments(token);
                    if (!adopted) {
                        adopt(hypervisor, assignments);
                        adopted = true;
                    }
                    keeper.reconcile(token, assignments);
                    failures = 0;
                    pause = untilNextRound(nextHeartbeat, assignments);
                } catch (MarketUnreachable | MarketRefused e) {
                    // Guests keep running while the market is away; a refusal (e.g. a revoked node
                    // token) is logged loudly and retried, so the provider sees it and can act.
                    pause = backoff.delayAfter(++failures);
                    LOG.log(e instanceof MarketRefused ? Level.ERROR : Level.WARNING,
                            "market: " + e.getMessage() + "; retrying in " + pause.toMillis() + " ms");
                } catch (HypervisorException e) {
                    pause = backoff.delayAfter(++failures);
                    LOG.log(Level.ERROR, "hypervisor: " + e.getMessage() + "; retrying in " + pause.toMillis() + " ms", e);
                }
                // A lease event wakes the loop at once: new leases start without waiting for a poll.
                wakeup.await(pause);
            }
        } finally {
            if (peerServer != null) {
                peerServer.close();
            }
        }
        LOG.log(Level.INFO, "node agent stopped; guests keep running");
    }

    /**
     * How long to sleep: until the next poll (the fallback should an event be lost), heartbeat,
     * or lease start or end, whichever comes first.
     */
    private Duration untilNextRound(Instant nextHeartbeat, List<LeaseAssignment> assignments) {
        Instant now = clock.instant();
        Instant next = now.plus(config.pollInterval());
        if (nextHeartbeat.isBefore(next)) {
            next = nextHeartbeat;
        }
        for (LeaseAssignment lease : assignments) {
            for (Instant moment : List.of(lease.start(), lease.end())) {
                if (moment.isAfter(now) && moment.isBefore(next)) {
                    next = moment;
                }
            }
        }
        Duration pause = Duration.between(now, next);
        return pause.isNegative() ? Duration.ZERO : pause;
    }

    private Backoff streamBackoff() {
        Duration initial = config.retryMax().compareTo(Duration.ofSeconds(1)) < 0 ? config.retryMax() : Duration.ofSeconds(1);
        return Backoff.exponential(initial, config.retryMax()).withJitter(java.util.random.RandomGenerator.getDefault());
    }

    /** Registers with the provider's token and stores the node id and token; null if stopped first. */
    private MarketClient.Registration register(KeyPair key) throws IOException, MarketRefused, InterruptedException {
        String providerToken = config.providerToken().orElseThrow(() -> new InvalidVmmConfig(AgentConfig.PROVIDER_TOKEN,
                "is needed to register this node: there is no node token in " + config.stateDir()));
        int failures = 0;
        while (true) {
            try (Hypervisor hypervisor = HypervisorFactory.open(config.vmm(), clock)) {
                MarketClient.Registration registration = market.register(providerToken, config.serverId(),
                        NodeKeys.publicKeyToBase64(key.getPublic()), config.hypervisorName(), hypervisor.capacity());
                credentials.saveNodeId(registration.nodeId());
                credentials.saveToken(registration.token());
                LOG.log(Level.INFO, "registered node {0} for server {1}; node token stored in {2}; usage sequence "
                        + "from {3}", registration.nodeId(), config.serverId(), config.stateDir(),
                        registration.nextUsageSequence());
                return registration;
            } catch (MarketUnreachable | HypervisorException e) {
                Duration pause = backoff.delayAfter(++failures);
                LOG.log(Level.WARNING, "cannot register yet: " + e.getMessage() + "; retrying in " + pause.toMillis() + " ms");
                if (stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    // SIGTERM while the market was away: a normal stop, not a failure.
                    return null;
                }
            }
        }
    }

    private void adopt(Hypervisor hypervisor, List<LeaseAssignment> assignments) throws HypervisorException {
        Set<LeaseId> active = assignments.stream().map(LeaseAssignment::lease).collect(Collectors.toSet());
        AdoptionReport report = new GuestAdoption(hypervisor, config.vmm().stopGrace()).reconcile(active);
        report.adopted().forEach(guest -> LOG.log(Level.INFO, "adopted running guest of lease {0}", guest.lease()));
        report.removed().forEach(lease -> LOG.log(Level.INFO, "removed guest of lease {0}: it has no active lease", lease));
        report.missing().forEach(lease -> LOG.log(Level.INFO, "lease {0} has no guest on this host yet", lease));
    }
}
