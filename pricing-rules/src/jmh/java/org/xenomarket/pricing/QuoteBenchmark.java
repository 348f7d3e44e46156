package org.xenomarket.pricing;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** (a) Quotes per second from price sheets: the hot path, plain arithmetic, no rule engine. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QuoteBenchmark {

    @State(Scope.Benchmark)
    public static class Sheets {
        PriceSheet[] sheets;
        ServerSnapshot[] servers;
        PlainJavaPolicy plainJava;
        QuoteRequest[] mixed;
        QuoteRequest[] oneHour;

        @Setup
        public void setUp() {
            PricingEngine engine = PricingEngine.compile(PricingPolicy.builtIn());
            List<ServerSnapshot> servers = BenchmarkData.servers(1_024);
            sheets = engine.priceSheets(servers, BenchmarkData.NOW).values().toArray(PriceSheet[]::new);
            this.servers = servers.toArray(ServerSnapshot[]::new);
            plainJava = new PlainJavaPolicy(engine.policy());
            List<QuoteRequest> requests = BenchmarkData.requests(256);
            mixed = requests.toArray(QuoteRequest[]::new);
            oneHour = requests.stream().map(r -> new QuoteRequest(r.resources(), r.expectedEgressGb(),
                    r.serviceClass(), BenchmarkData.NOW, java.time.Duration.ofHours(1), r.sponsorId()))
                    .toArray(QuoteRequest[]::new);
            checkReferenceAgrees();
        }

        /** The hand-written reference must give the same figures, or the comparison would mean nothing. */
        private void checkReferenceAgrees() {
            for (int i = 0; i < 20_000; i++) {
                Quote q = sheets[i & 1_023].quote(mixed[i & 255], BenchmarkData.NOW);
                PlainJavaPolicy.ReferenceQuote r = plainJava.quote(servers[i & 1_023], mixed[i & 255]);
                if (!q.unitPrices().equals(r.unitPrices()) || !q.total().equals(r.total())
                        || !q.pricePerHour().equals(r.pricePerHour())) {
                    throw new IllegalStateException("reference differs at " + i + ":\n" + q + "\n" + r);
                }
            }
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    /** Leases from one hour to a month, across local peak hours, both classes, some sponsors. */
    @Benchmark
    public Quote quoteMixedLeases(Sheets s, Cursor c) {
        int i = c.next++;
        return s.sheets[i & 1_023].quote(s.mixed[i & 255], BenchmarkData.NOW);
    }

    /** Mixed leases, reading each quote's breakdown too (what showing the quote to a sponsor costs). */
    @Benchmark
    public int quoteMixedLeasesWithBreakdown(Sheets s, Cursor c) {
        int i = c.next++;
        return s.sheets[i & 1_023].quote(s.mixed[i & 255], BenchmarkData.NOW).breakdown().size();
    }

    /** (c) The same figures worked out by hand-written BigDecimal code straight from the tables. */
    @Benchmark
    public PlainJavaPolicy.ReferenceQuote plainJavaReferenceMixedLeases(Sheets s, Cursor c) {
        int i = c.next++;
        return s.plainJava.quote(s.servers[i & 1_023], s.mixed[i & 255]);
    }

    /** One-hour leases in one band of local hours: the cheapest shape of quote. */
    @Benchmark
    public Quote quoteOneHourLeases(Sheets s, Cursor c) {
        int i = c.next++;
        return s.sheets[i & 1_023].quote(s.oneHour[i & 255], BenchmarkData.NOW);
    }
}
