package org.xenomarket.pricing;

import java.util.List;

/** Not a benchmark: re-prices 10,000 servers in a loop to run under a profiler (JFR). */
public final class RepriceProfile {

    public static void main(String[] args) {
        PricingEngine engine = PricingEngine.compile(PricingPolicy.builtIn());
        List<ServerSnapshot> servers = BenchmarkData.servers(10_000);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            int n = engine.priceSheets(servers, BenchmarkData.NOW).size();
            System.out.println(n + " sheets in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }
}
