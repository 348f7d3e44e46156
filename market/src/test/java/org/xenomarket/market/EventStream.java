package org.xenomarket.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A server-sent event stream a test opened with a bearer token: its data lines, collected until the test ends. */
public final class EventStream {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    private EventStream() {
    }

    /** Opens the stream at the URL with the Authorization header's value; fails the test unless it opens. */
    public static EventStream open(URL url, String bearer) throws Exception {
        EventStream stream = new EventStream();
        var response = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url.toString()))
                        .header("Authorization", bearer).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> new Thread(() -> {
            try {
                r.body().filter(line -> line.startsWith("data:")).forEach(stream.lines::add);
            } finally {
                stream.ended.countDown();
            }
        }).start());
        assertEquals(200, response.get(30, TimeUnit.SECONDS).statusCode(), "the stream opened");
        return stream;
    }

    /** Whether the market closed the stream within the timeout (the body ended, or broke off). */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next data line containing the text, waiting at most the timeout; null if none came. */
    public String await(String containing, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.contains(containing)) {
                return line;
            }
        }
        return null;
    }
}
