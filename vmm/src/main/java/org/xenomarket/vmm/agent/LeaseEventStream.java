package org.xenomarket.vmm.agent;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.xenomarket.metering.upload.Backoff;

/**
 * The market's server-sent event stream of this node's leases ({@code GET node/events}), held open
 * on a thread of its own. Each event wakes the agent's loop, which then fetches its assignments at
 * once instead of at the next poll. When the stream drops the agent simply keeps polling, and this
 * reconnects with backoff; events missed meanwhile are covered by the polls.
 */
public final class LeaseEventStream implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LeaseEventStream.class.getName());

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI uri;
    private final String token;
    private final Runnable onEvent;
    private final Backoff backoff;
    private final AtomicBoolean connected = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Stream<String> open;
    private Thread thread;

    public LeaseEventStream(URI marketUrl, String token, Backoff backoff, Runnable onEvent) {
        this.uri = URI.create(marketUrl.toString().replaceAll("/+$", "") + "/api/v1/node/events");
        this.token = token;
        this.backoff = backoff;
        this.onEvent = onEvent;
    }

    public void start() {
        thread = new Thread(this::run, "lease-events");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the stream is open now. */
    public boolean isConnected() {
        return connected.get();
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            try {
                HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build(),
                        HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    response.body().close();
                    throw new IOException("answered " + response.statusCode());
                }
                open = response.body();
                connected.set(true);
                failures = 0;
                LOG.log(Level.INFO, "lease event stream open");
                // A reconnect may have missed events: wake the loop once so it fetches afresh.
                onEvent.run();
                Iterator<String> lines = open.iterator();
                while (!closed && lines.hasNext()) {
                    if (lines.next().startsWith("data:")) {
                        onEvent.run();
                    }
                }
                throw new IOException("the market closed the stream");
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                boolean was = connected.getAndSet(false);
                Duration pause = backoff.delayAfter(++failures);
                LOG.log(was ? Level.WARNING : Level.DEBUG, "lease event stream: " + e.getMessage()
                        + "; polling meanwhile, reconnecting in " + pause.toMillis() + " ms");
                sleep(pause);
            } catch (InterruptedException e) {
                return;
            } finally {
                connected.set(false);
                Stream<String> stream = open;
                if (stream != null) {
                    stream.close();
                    open = null;
                }
            }
        }
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        Stream<String> stream = open;
        if (stream != null) {
            stream.close();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
