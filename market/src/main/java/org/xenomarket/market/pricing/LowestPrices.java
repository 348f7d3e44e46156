package org.xenomarket.market.pricing;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/**
 * A lower bound of the price per hour each server's sheet can give a request of a given shape, at any reservation
 * ({@link PriceSheet#pricePerHourLowerBoundMicros}), remembered per server for the last shape asked: a
 * quote answers one offer, and with these bounds it prices exactly only the servers that could be cheapest.
 * Working a bound out costs about as much as pricing; remembering it makes it one map look-up for the next
 * request of the same shape (of the start, only the whole local days the lease holds are part of it). A bound
 * is tied to the very sheet it came from, so a sheet made again (another policy, floors, terms) is bounded again.
 */
@ApplicationScoped
public class LowestPrices {

    /** Enough for every server of a large market; past it, the memory is simply dropped and filled again. */
    private static final int MAX_SERVERS = 200_000;

    private final Map<UUID, Remembered> byServer = new ConcurrentHashMap<>();

    /**
     * What the bound depends on besides the sheet: the request but its start and places, and of the start only
     * the whole local days the lease surely holds ({@link PriceSheet#wholeLocalDays}).
     */
    private record Shape(ResourceVector resources, ServiceClass serviceClass, Duration duration, String sponsorId,
                         BigDecimal spend, long wholeDays) {
    }

    private record Remembered(PriceSheet sheet, Shape shape, long micros) {
    }

    /**
     * A lower bound, in micro-units, of the price per hour of {@code request} on {@code sheet} (server
     * {@code serverId}) at any reservation; {@link Long#MIN_VALUE} when none holds.
     */
    public long pricePerHourMicros(UUID serverId, PriceSheet sheet, QuoteRequest request) {
        Shape shape = new Shape(request.resources(), request.serviceClass(), request.duration(), request.sponsorId(),
                request.spendWith(sheet.server().providerId()), sheet.wholeLocalDays(request));
        Remembered last = byServer.get(serverId);
        if (last != null && last.sheet() == sheet && last.shape().equals(shape)) {
            return last.micros();
        }
        long micros = sheet.pricePerHourLowerBoundMicros(request);
        if (byServer.size() >= MAX_SERVERS) {
            byServer.clear();
        }
        byServer.put(serverId, new Remembered(sheet, shape, micros));
        return micros;
    }
}
