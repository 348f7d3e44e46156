package org.xenomarket.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PriceSheet#pricePerHourMicros}, the clearing round's allocation-light price, gives exactly the
 * price per hour of the full quote at the same reservation, on random servers and requests.
 */
class PricePerHourMicrosTest {

    private static final long BASE_SEED = 0x4d49_4352_0000_0000L; // "MICR"

    static LongStream seeds() {
        return Arbitrary.seeds(BASE_SEED, 1_000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void pricePerHourMicrosEqualsTheQuotesPricePerHour(long seed) {
        Arbitrary.Case c = Arbitrary.quoteCase(Arbitrary.random(seed));
        Arbitrary.checkSeed(seed, c, () -> {
            // priced from an idle sheet at the case's reservation, as a round does
            PriceSheet idle = Fixtures.builtInEngine().priceSheet(
                    c.server().withReserved(ResourceVector.ZERO), Arbitrary.NOW);
            Quote quote = idle.withReserved(c.server().reserved()).quote(c.request(), Arbitrary.NOW);
            long expected = quote.pricePerHour().amount().movePointRight(PriceSheet.UNIT_PRICE_SCALE)
                    .longValueExact();
            assertEquals(expected, idle.pricePerHourMicros(c.request(), c.server().reserved()));
        });
    }

    /**
     * One sheet pricing many requests in turn, as a round does (it keeps the stretches of constant offset it
     * last used), gives each the price a fresh sheet gives: starts earlier and later than the last, and
     * one second either side of and exactly at the zone's daylight-saving transitions (leases of 1..12 h
     * there, so an hour's shift moves seconds in or out of peak hours and shows in the price per hour).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aSheetReusedForManyRequestsPricesEachAsAFreshSheet(long seed) {
        RandomGenerator random = Arbitrary.random(seed);
        ServerSnapshot server = Arbitrary.server(random);
        List<QuoteRequest> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(Arbitrary.request(random, server.zone()));
        }
        for (Instant transition : Arbitrary.transitionsInWindow(server.zone())) {
            // at the transition first: a stretch wrongly taken to start before it would then misprice the second before
            for (long shift : new long[] {0, -1, 1}) {
                QuoteRequest r = Arbitrary.request(random, server.zone());
                requests.add(new QuoteRequest(r.resources(), r.expectedEgressGb(), r.serviceClass(),
                        transition.plusSeconds(shift), Duration.ofMinutes(60 + random.nextInt(11 * 60)),
                        r.sponsorId()));
            }
        }
        PriceSheet reused = Fixtures.builtInEngine().priceSheet(server, Arbitrary.NOW);
        for (QuoteRequest request : requests) {
            Arbitrary.checkSeed(seed, request, () -> {
                PriceSheet fresh = reused.withReserved(server.reserved()); // a new sheet: nothing cached
                assertEquals(fresh.pricePerHourMicros(request, server.reserved()),
                        reused.pricePerHourMicros(request, server.reserved()));
            });
        }
    }

    /**
     * Sponsors alternating on one sheet, each id a String of its own (as each bid's request has), as a
     * round prices bid after bid: each gets its own adjustment, the price the exact BigDecimal path gives,
     * and a sponsor with an adjustment is priced apart from one without (the terms keep the last sponsor
     * they looked up, and must never hand it to the next).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void sponsorsAlternatingOnOneSheetEachGetTheirOwnAdjustment(long seed) {
        RandomGenerator random = Arbitrary.random(seed);
        ServerSnapshot server = Arbitrary.server(random);
        QuoteRequest r = Arbitrary.request(random, server.zone());
        PriceSheet sheet = Fixtures.builtInEngine().priceSheet(server, Arbitrary.NOW);
        for (int i = 0; i < 16; i++) {
            String sponsor = i % 4 == 3 ? null : new String(Arbitrary.SPONSORS.get((i + i / 4) % 3).toCharArray());
            QuoteRequest request = new QuoteRequest(r.resources(), r.expectedEgressGb(), r.serviceClass(), r.start(),
                    r.duration(), sponsor);
            Arbitrary.checkSeed(seed, request, () -> assertEquals(
                    sheet.quoteExact(request, Arbitrary.NOW).pricePerHour().amount()
                            .movePointRight(PriceSheet.UNIT_PRICE_SCALE).longValueExact(),
                    sheet.pricePerHourMicros(request, server.reserved())));
        }
    }

    /**
     * Bids priced in turn on servers of several zones, as a round scans them, each bid's span split once and
     * kept ({@link LocalSpans}): every price equals the exact BigDecimal path's, which splits afresh. Spans
     * that a kept split could be wrongly handed to are mixed in on purpose: the same start with another
     * length, the same length an hour later, and the same instant at another offset (so a split keyed by the
     * UTC span, or by the start alone, would misprice); with so many spans, slots are also shared and replaced.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void bidsScannedOverServersOfSeveralZonesArePricedAsTheExactPathPricesThem(long seed) {
        RandomGenerator random = Arbitrary.random(seed);
        List<ServerSnapshot> servers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            servers.add(Arbitrary.server(random));
        }
        List<PriceSheet> sheets = servers.stream()
                .map(server -> Fixtures.builtInEngine().priceSheet(server, Arbitrary.NOW)).toList();
        List<QuoteRequest> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            QuoteRequest r = Arbitrary.request(random, servers.get(i % servers.size()).zone());
            requests.add(r);
            requests.add(new QuoteRequest(r.resources(), r.expectedEgressGb(), r.serviceClass(), r.start(),
                    r.duration().plusMinutes(1 + random.nextInt(600)), r.sponsorId()));
            requests.add(new QuoteRequest(r.resources(), r.expectedEgressGb(), r.serviceClass(),
                    r.start().plusSeconds(3_600), r.duration(), r.sponsorId()));
        }
        for (int pass = 0; pass < 2; pass++) { // the second pass finds what the first kept
            for (QuoteRequest request : requests) {
                for (int s = 0; s < sheets.size(); s++) {
                    PriceSheet sheet = sheets.get(s);
                    ServerSnapshot server = servers.get(s);
                    Arbitrary.checkSeed(seed, List.of(server.zone(), request), () -> assertEquals(
                            sheet.quoteExact(request, Arbitrary.NOW).pricePerHour().amount()
                                    .movePointRight(PriceSheet.UNIT_PRICE_SCALE).longValueExact(),
                            sheet.pricePerHourMicros(request, server.reserved())));
                }
            }
        }
    }
}
