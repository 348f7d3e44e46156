package org.xenomarket.tests;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;

/**
 * A few NATS connections the simulated agents share (2,000 agents need not open 2,000). A connection
 * whose publish failed is closed and replaced by a new one on next use, as the real agent's
 * StreamUsageSink does: measured with jnats 2.24.0 against nats-server, a connection that
 * reconnected by itself after the server was restarted reported CONNECTED but had every later
 * JetStream publish time out, so reconnecting alone does not recover a publisher.
 */
final class NatsConnections implements AutoCloseable {

    /** One shared connection, as an agent sees it. */
    interface Slot {
        Connection get() throws IOException, InterruptedException;

        /** The publish through {@code connection} failed: the next {@link #get} opens a new one. */
        void broken(Connection connection);
    }

    private final String url;
    private final Connection[] connections;

    NatsConnections(String url, int count) {
        this.url = url;
        this.connections = new Connection[count];
    }

    Slot slot(int agent) {
        int index = Math.floorMod(agent, connections.length);
        return new Slot() {
            @Override
            public Connection get() throws IOException, InterruptedException {
                return connection(index);
            }

            @Override
            public void broken(Connection connection) {
                replace(index, connection);
            }
        };
    }

    private synchronized Connection connection(int index) throws IOException, InterruptedException {
        if (connections[index] == null) {
            connections[index] = Nats.connect(new Options.Builder().server(url).connectionName("simulated-agents-" + index)
                    .connectionTimeout(Duration.ofSeconds(5)).build());
        }
        return connections[index];
    }

    private void replace(int index, Connection broken) {
        synchronized (this) {
            if (connections[index] != broken) {
                return;
            }
            connections[index] = null;
        }
        try {
            broken.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (int i = 0; i < connections.length; i++) {
            if (connections[i] != null) {
                connections[i].close();
                connections[i] = null;
            }
        }
    }
}
