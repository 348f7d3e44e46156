package org.xenomarket.pricing;

import java.util.List;

/** Not a benchmark: a plain loop over the quote path to run under a profiler (JFR). */
public final class QuoteProfile {

    public static void main(String[] args) {
        PricingEngine engine = PricingEngine.compile(PricingPolicy.builtIn());
        PriceSheet[] sheets = engine.priceSheets(BenchmarkData.servers(1_024), BenchmarkData.NOW).values()
                .toArray(PriceSheet[]::new);
        List<QuoteRequest> requests = BenchmarkData.requests(256);
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long n = 0;
        long h = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++, n++) {
                h += sheets[(int) (n & 1_023)].quote(requests.get((int) (n & 255)), BenchmarkData.NOW).total()
                        .amount().unscaledValue().intValue();
            }
        }
        System.out.println(n / seconds + " quotes/s (checksum " + h + ")");
    }
}
