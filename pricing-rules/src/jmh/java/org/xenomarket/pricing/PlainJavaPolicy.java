package org.xenomarket.pricing;

import org.xenomarket.pricing.rules.PriceLine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in policy's rules written by hand in plain Java: the reference the Drools rule base is
 * measured against. It produces the same price lines as the DRL and assembles sheets the same way, so
 * the two differ only in who decides the lines.
 */
final class PlainJavaPolicy {

    private final PricingPolicy policy;
    private final PolicyTables tables;
    private final CongestionCurve curve;
    private final EnumMap<Resource, RequestTerms> terms;

    PlainJavaPolicy(PricingPolicy policy) {
        this.policy = policy;
        this.tables = policy.tables();
        this.curve = tables.curve();
        this.terms = RequestTerms.byResource(linesForEveryServer());
    }

    Map<String, PriceSheet> priceSheets(Collection<ServerSnapshot> servers, Instant asOf) {
        Map<String, PriceSheet> out = new LinkedHashMap<>();
        // the same sharing the engine does: servers of a region without floors share their arranged pricing
        Map<List<PriceLine>, ResourcePricing> reuse = new HashMap<>();
        Map<String, List<PriceLine>> regionLines = new HashMap<>();
        for (ServerSnapshot s : servers) {
            List<PriceLine> lines = new ArrayList<>(regionLines.computeIfAbsent(s.regionCode(), this::regionLines));
            addFloorLines(s, lines);
            out.put(s.serverId(), PriceSheet.assemble(policy, s, asOf, lines, terms, reuse));
        }
        return out;
    }

    /** Figures of a quote worked out directly from the tables, the way one would without rules or sheets. */
    record ReferenceQuote(Map<Resource, BigDecimal> unitPrices, Money pricePerHour, Money total) {
    }

    ReferenceQuote quote(ServerSnapshot s, QuoteRequest q) {
        long seconds = q.duration().getSeconds();
        long[] hourSeconds = LocalHours.secondsPerHourOfDay(s.zone(), q.start(), seconds);
        BigDecimal[] peak = new BigDecimal[24];
        for (PolicyTables.PeakHours p : tables.peakHours()) {
            for (int h = p.fromHour(); h < p.toHour(); h++) {
                peak[h] = p.multiplier();
            }
        }
        BigDecimal location = tables.locationPremiums().getOrDefault(s.regionCode(), BigDecimal.ONE);
        BigDecimal sponsor = q.sponsorId() == null ? BigDecimal.ONE
                : BigDecimal.ONE.subtract(tables.sponsorCommitments().getOrDefault(q.sponsorId(), BigDecimal.ZERO));
        BigDecimal tier = BigDecimal.ONE;
        for (PolicyTables.DurationDiscount d : tables.durationDiscounts()) {
            if (seconds >= d.minHours() * 3600) {
                tier = BigDecimal.ONE.subtract(d.discount());
            }
        }
        EnumMap<Resource, BigDecimal> unit = new EnumMap<>(Resource.class);
        BigDecimal perHour = BigDecimal.ZERO;
        for (Resource r : Resource.values()) {
            BigDecimal price = tables.basePrice(s.regionCode(), r).multiply(location).multiply(sponsor);
            BigDecimal floor = s.floorPrices().containsKey(r)
                    ? s.floorPrices().get(r).setScale(6, RoundingMode.CEILING) : BigDecimal.ZERO;
            if (!r.timeBased()) {
                unit.put(r, PriceSheet.roundUnitPrice(price).max(floor));
                continue;
            }
            price = price.multiply(q.serviceClass() == ServiceClass.RESERVED
                    ? BigDecimal.ONE.add(tables.reservationPremium())
                    : BigDecimal.ONE.subtract(tables.bestEffortDiscount()));
            long u = org.xenomarket.pricing.rules.PolicyFacts.utilisationPpm(s.capacity().raw(r),
                    s.reserved().raw(r) + q.resources().raw(r));
            price = price.multiply(curve.multiplierAt(BigDecimal.valueOf(u, 6))).multiply(tier);
            BigDecimal weighted = BigDecimal.ZERO;
            for (int h = 0; h < 24; h++) {
                if (hourSeconds[h] > 0) {
                    BigDecimal hourly = PriceSheet.roundUnitPrice(peak[h] == null ? price : price.multiply(peak[h]))
                            .max(floor);
                    weighted = weighted.add(hourly.multiply(BigDecimal.valueOf(hourSeconds[h])));
                }
            }
            BigDecimal average = weighted.divide(BigDecimal.valueOf(seconds), 6, RoundingMode.HALF_EVEN);
            unit.put(r, average);
            perHour = perHour.add(q.resources().quantity(r).multiply(average));
        }
        BigDecimal total = perHour.multiply(BigDecimal.valueOf(seconds)).add(unit.get(Resource.EGRESS)
                .multiply(BigDecimal.valueOf(q.expectedEgressGb())).multiply(BigDecimal.valueOf(3600)));
        return new ReferenceQuote(unit, Money.roundToMinorUnits(perHour, tables.currency()),
                Money.roundToMinorUnits(total, BigDecimal.valueOf(3600), tables.currency()));
    }

    private List<PriceLine> linesForEveryServer() {
        List<PriceLine> lines = new ArrayList<>();
        for (Resource r : Resource.values()) {
            if (r.timeBased()) {
                BigDecimal premium = tables.reservationPremium();
                if (premium.signum() > 0) {
                    lines.add(PriceLine.forServiceClass("Reservation premium", r, ServiceClass.RESERVED,
                            BigDecimal.ONE.add(premium),
                            "reserved capacity is never pre-empted: " + PriceLine.percent(premium) + " premium"));
                }
                BigDecimal discount = tables.bestEffortDiscount();
                if (discount.signum() > 0) {
                    lines.add(PriceLine.forServiceClass("Best-effort discount", r, ServiceClass.BEST_EFFORT,
                            BigDecimal.ONE.subtract(discount),
                            "best-effort capacity may be pre-empted: " + PriceLine.percent(discount) + " off"));
                }
                for (PolicyTables.PeakHours p : tables.peakHours()) {
                    String range = String.format("%02d:00-%02d:00", p.fromHour(), p.toHour());
                    for (int h = p.fromHour(); h < p.toHour(); h++) {
                        lines.add(PriceLine.forLocalHour("Local peak hours", r, h, p.multiplier(),
                                "local peak hours " + range + " at the server's site"));
                    }
                }
                for (PolicyTables.DurationDiscount d : tables.durationDiscounts()) {
                    lines.add(PriceLine.forMinDuration("Duration discount", r, d.minHours(),
                            BigDecimal.ONE.subtract(d.discount()),
                            "leases of " + d.minHours() + " hours or more: " + PriceLine.percent(d.discount()) + " off"));
                }
            }
            tables.sponsorCommitments().forEach((sponsor, d) -> lines.add(PriceLine.forSponsor(
                    "Sponsor commitment discount", r, sponsor, BigDecimal.ONE.subtract(d),
                    "commitment of sponsor " + sponsor + ": " + PriceLine.percent(d) + " off")));
        }
        return lines;
    }

    private List<PriceLine> regionLines(String region) {
        List<PriceLine> lines = new ArrayList<>();
        Map<Resource, BigDecimal> own = tables.basePrices().get(region);
        BigDecimal location = tables.locationPremiums().get(region);
        for (Resource r : Resource.values()) {
            if (own != null && own.containsKey(r)) {
                lines.add(PriceLine.baseForRegion("Base price per region and resource", region, r, own.get(r),
                        "price per " + r.unit() + " in region " + region));
            } else {
                lines.add(PriceLine.baseForRegion("Base price per region and resource", region, r,
                        tables.basePrices().get("*").get(r),
                        "default price per " + r.unit() + "; region " + region + " has no row of its own"));
            }
            if (location != null) {
                lines.add(PriceLine.multiplierForRegion("Location premium", region, r, location,
                        "location premium of region " + region));
            }
            if (r.timeBased()) {
                lines.add(PriceLine.congestion("Congestion multiplier by utilisation", null, r, curve,
                        r.label() + " utilisation {utilisation} on this server, including this request"));
            }
        }
        return List.copyOf(lines);
    }

    private void addFloorLines(ServerSnapshot s, List<PriceLine> lines) {
        s.floorPrices().forEach((r, floor) -> lines.add(PriceLine.floor("Provider floor price", s.serverId(), r, floor,
                "the provider's minimum price per " + r.unit())));
    }
}
