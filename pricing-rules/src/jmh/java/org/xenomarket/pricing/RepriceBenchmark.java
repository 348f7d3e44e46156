package org.xenomarket.pricing;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * (b) Re-pricing 10,000 servers after a policy change with the Drools rule base, and (c) the same policy
 * hand-written in plain Java ({@link PlainJavaPolicy}) as the reference.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class RepriceBenchmark {

    private PricingEngine engine;
    private PlainJavaPolicy plainJava;
    private List<ServerSnapshot> servers;

    @Setup
    public void setUp() {
        PricingPolicy policy = PricingPolicy.builtIn();
        engine = PricingEngine.compile(policy);
        plainJava = new PlainJavaPolicy(policy);
        servers = BenchmarkData.servers(10_000);
        checkBothPriceAlike();
    }

    /** The reference must give the very same quotes, or the comparison would be meaningless. */
    private void checkBothPriceAlike() {
        Map<String, PriceSheet> rules = engine.priceSheets(servers.subList(0, 500), BenchmarkData.NOW);
        Map<String, PriceSheet> java = plainJava.priceSheets(servers.subList(0, 500), BenchmarkData.NOW);
        List<QuoteRequest> requests = BenchmarkData.requests(50);
        rules.forEach((id, sheet) -> {
            for (QuoteRequest r : requests) {
                Quote a = sheet.quote(r, BenchmarkData.NOW);
                Quote b = java.get(id).quote(r, BenchmarkData.NOW);
                if (!a.equals(b)) {
                    throw new IllegalStateException("plain Java reference differs from the rules on " + id
                            + ":\n" + a + "\n" + b);
                }
            }
        });
    }

    /** All 10,000 servers through the rules in one session. */
    @Benchmark
    public Map<String, PriceSheet> droolsOneSession() {
        return engine.priceSheets(servers, BenchmarkData.NOW);
    }

    /** All 10,000 servers, one fresh pooled session per server (what a heartbeat-driven update costs). */
    @Benchmark
    public int droolsSessionPerServer() {
        int n = 0;
        for (ServerSnapshot s : servers) {
            n += engine.priceSheet(s, BenchmarkData.NOW).serverId().length();
        }
        return n;
    }

    /** The same lines decided by hand-written Java: the reference. */
    @Benchmark
    public Map<String, PriceSheet> plainJava() {
        return plainJava.priceSheets(servers, BenchmarkData.NOW);
    }
}
