package org.xenomarket.vmm.agent;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.xenomarket.vmm.config.HypervisorFactory;
import org.xenomarket.vmm.config.VmmConfig;
import org.xenomarket.vmm.config.VmmSettings;

/**
 * The agent process: checks the configuration and that the host can run guests as configured
 * ({@link HypervisorFactory#checkHost}), then runs {@link NodeAgent}'s loop on the main thread
 * until shutdown. On SIGTERM (systemd stop, Ctrl-C) Quarkus fires {@link ShutdownEvent}: the
 * loop is asked to stop after its current round and is waited for, so the process ends between
 * rounds. Guests are never stopped on the way out: they outlive the agent, which adopts them when
 * it comes back.
 */
@Singleton
public class NodeAgentApplication implements QuarkusApplication {

    private static final System.Logger LOG = System.getLogger(NodeAgentApplication.class.getName());

    /**
     * How long shutdown waits for a round in progress (a guest being started or stopped, a request
     * to the market). Cutting a round short is safe, as with kill -9: the next start finishes it.
     */
    static final Duration ROUND_GRACE = Duration.ofSeconds(20);

    private final AgentSettings agentSettings;
    private final VmmSettings vmmSettings;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile NodeAgent agent;

    public NodeAgentApplication(AgentSettings agentSettings, VmmSettings vmmSettings) {
        this.agentSettings = agentSettings;
        this.vmmSettings = vmmSettings;
    }

    @Override
    public int run(String... args) throws Exception {
        // A bad value throws InvalidVmmConfig, which AgentMain reports with the key and exit code 2.
        AgentConfig config = AgentConfig.from(agentSettings, VmmConfig.from(vmmSettings));
        // Before anything is created or registered: a host that cannot run the configured guests
        // (a network whose egress caps its kernel cannot police) is refused the same way.
        HypervisorFactory.checkHost(config.vmm());
        // Millisecond ticks: usage records and their counter samples are at whole milliseconds.
        agent = new NodeAgent(config, Clock.tickMillis(ZoneOffset.UTC));
        try {
            agent.run();
        } finally {
            finished.countDown();
        }
        return 0;
    }

    void onShutdown(@Observes ShutdownEvent event) throws InterruptedException {
        NodeAgent running = agent;
        if (running == null) {
            return;
        }
        running.stop();
        if (!finished.await(ROUND_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.log(Level.WARNING, "exiting in the middle of a round; the next start finishes it");
        }
    }
}
