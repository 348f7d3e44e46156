package org.xenomarket.market.clearing.round;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServerSnapshot;

/**
 * Seeded random servers of one region for the round's quality tests, priced by real price sheets:
 * each at one of the sites, {@code smallestVcpus} times a power of two vCPU (4 GiB and 50 GiB of
 * disk per vCPU), a third part-reserved, a quarter with a provider floor on vCPU.
 */
final class RandomServers {

    private RandomServers() {
    }

    /**
     * {@code count} servers drawn from {@code random} (site, size, reservation and floor, in that
     * order per server), with vCPUs of {@code smallestVcpus << 0 .. sizes - 1}, spread over
     * {@code providers} providers, priced at {@code now}.
     */
    static List<RoundServer> draw(SplittableRandom random, int count, double[][] sites, int smallestVcpus, int sizes,
                                  int providers, PricingEngine engine, Instant now) {
        List<ServerSnapshot> snapshots = new ArrayList<>();
        List<double[]> places = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            double[] site = sites[random.nextInt(sites.length)];
            int vcpus = smallestVcpus << random.nextInt(sizes);
            ResourceVector capacity = new ResourceVector(vcpus, vcpus * 4_096L, vcpus * 50L);
            ResourceVector reserved = random.nextInt(3) == 0
                    ? new ResourceVector(random.nextInt(vcpus / 2 + 1), random.nextInt(vcpus) * 1_024L, 0)
                    : ResourceVector.ZERO;
            Map<Resource, BigDecimal> floors = random.nextInt(4) == 0
                    ? Map.of(Resource.VCPU, new BigDecimal("0.0" + (15 + random.nextInt(20))))
                    : Map.of();
            snapshots.add(new ServerSnapshot("srv-" + s, "prov-" + s % providers, "eu-west",
                    ZoneId.of("Europe/London"), capacity, reserved, floors));
            places.add(site);
        }
        Map<String, PriceSheet> sheets = engine.priceSheets(snapshots, now);
        List<RoundServer> servers = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            ServerSnapshot snapshot = snapshots.get(s);
            servers.add(new RoundServer(new UUID(1, s), "eu-west", places.get(s)[0], places.get(s)[1],
                    snapshot.capacity(), snapshot.reserved(), new SheetPricing(sheets.get(snapshot.serverId()))));
        }
        return servers;
    }
}
