package org.xenomarket.pricing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xenomarket.pricing.Fixtures.CAPACITY;
import static org.xenomarket.pricing.Fixtures.NOW;
import static org.xenomarket.pricing.Fixtures.SMALL;
import static org.xenomarket.pricing.Fixtures.builtInEngine;
import static org.xenomarket.pricing.Fixtures.request;

class ConcurrencyTest {

    @Test
    void sheetsAndQuotesMadeOnManyThreadsEqualThoseMadeOnOne() throws Exception {
        List<ServerSnapshot> servers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            servers.add(new ServerSnapshot("s" + i, "p", i % 2 == 0 ? "eu-west" : "ap-south", Fixtures.ZURICH,
                    CAPACITY, new ResourceVector(i % 16, 1_024L * i, 10L * i), Map.of()));
        }
        QuoteRequest req = request(SMALL, ServiceClass.RESERVED, Duration.ofHours(30));
        List<Quote> expected = servers.stream().map(s -> builtInEngine().priceSheet(s, NOW).quote(req, NOW)).toList();

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Quote>> futures = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (ServerSnapshot s : servers) {
                    futures.add(pool.submit(() -> builtInEngine().priceSheet(s, NOW).quote(req, NOW)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(expected.get(i % servers.size()), futures.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
