package org.xenomarket.pricing.rules;

import org.xenomarket.pricing.CongestionCurve;
import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ServiceClass;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What one rule decided about one resource: a base price, a multiplier, the congestion curve or a floor,
 * for whom (one server, every server of a region, or every server) and when it applies (always, for a
 * service class, in a local hour, from a lease length, for a sponsor).
 * Rules insert these; {@code PriceSheet} combines them with plain arithmetic.
 */
public final class PriceLine {

    /** What the line does to the price. */
    public enum Kind { BASE, MULTIPLIER, CONGESTION, FLOOR }

    /**
     * When the line applies; {@code conditionValue} holds the class, hour, minimum hours, sponsor id, or for
     * {@code DISTANCE_CLASS} (egress to client places) the class's greatest distance in km, or
     * {@link #FARTHEST} for the class that takes every longer distance. {@code PROVIDER_SPONSOR} (a sponsor id)
     * and {@code LOYALTY_SPEND} (the least spend with the provider, policy currency) are one server's terms:
     * its provider's, so they belong to the server's lines, not to the terms every server shares.
     */
    public enum Condition {
        ALWAYS, SERVICE_CLASS, LOCAL_HOUR, MIN_DURATION_HOURS, SPONSOR, DISTANCE_CLASS, PROVIDER_SPONSOR, LOYALTY_SPEND
    }

    /** The condition value of the farthest distance class. */
    public static final String FARTHEST = "farthest";

    private final String rule;
    private final String serverId;
    private final String regionCode;
    private final Resource resource;
    private final Kind kind;
    private final Condition condition;
    private final String conditionValue;
    private final BigDecimal value;
    private final CongestionCurve curve;
    private final String reason;

    private PriceLine(String rule, String serverId, String regionCode, Resource resource, Kind kind,
                      Condition condition, String conditionValue, BigDecimal value, CongestionCurve curve,
                      String reason) {
        this.rule = Objects.requireNonNull(rule, "rule");
        this.serverId = serverId;
        this.regionCode = regionCode;
        this.resource = Objects.requireNonNull(resource, "resource");
        this.kind = kind;
        this.condition = condition;
        this.conditionValue = conditionValue;
        this.value = value;
        this.curve = curve;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The starting unit price of a resource on a server. */
    public static PriceLine base(String rule, String serverId, Resource resource, BigDecimal price, String reason) {
        return new PriceLine(rule, serverId, null, resource, Kind.BASE, Condition.ALWAYS, null, price, null, reason);
    }

    /** The starting unit price of a resource for every server of a region. */
    public static PriceLine baseForRegion(String rule, String regionCode, Resource resource, BigDecimal price,
                                          String reason) {
        return new PriceLine(rule, null, Objects.requireNonNull(regionCode, "regionCode"), resource, Kind.BASE,
                Condition.ALWAYS, null, price, null, reason);
    }

    /** A multiplier that always applies to every server of a region. */
    public static PriceLine multiplierForRegion(String rule, String regionCode, Resource resource, BigDecimal factor,
                                                String reason) {
        return new PriceLine(rule, null, Objects.requireNonNull(regionCode, "regionCode"), resource, Kind.MULTIPLIER,
                Condition.ALWAYS, null, factor, null, reason);
    }

    /** A multiplier that always applies on this server ({@code serverId} may be null for every server). */
    public static PriceLine multiplier(String rule, String serverId, Resource resource, BigDecimal factor,
                                       String reason) {
        return new PriceLine(rule, serverId, null, resource, Kind.MULTIPLIER, Condition.ALWAYS, null, factor, null, reason);
    }

    /** A multiplier for leases of one service class. */
    public static PriceLine forServiceClass(String rule, Resource resource, ServiceClass serviceClass,
                                            BigDecimal factor, String reason) {
        return new PriceLine(rule, null, null, resource, Kind.MULTIPLIER, Condition.SERVICE_CLASS, serviceClass.name(),
                factor, null, reason);
    }

    /** A multiplier for the part of a lease that falls in one local hour (0..23) at the server's zone. */
    public static PriceLine forLocalHour(String rule, Resource resource, int localHour, BigDecimal factor,
                                         String reason) {
        if (localHour < 0 || localHour > 23) {
            throw new IllegalArgumentException("local hour must be 0..23: " + localHour);
        }
        return new PriceLine(rule, null, null, resource, Kind.MULTIPLIER, Condition.LOCAL_HOUR,
                Integer.toString(localHour), factor, null, reason);
    }

    /** A multiplier for leases of at least {@code minHours}; of several tiers only the highest reached applies. */
    public static PriceLine forMinDuration(String rule, Resource resource, long minHours, BigDecimal factor,
                                           String reason) {
        return new PriceLine(rule, null, null, resource, Kind.MULTIPLIER, Condition.MIN_DURATION_HOURS,
                Long.toString(minHours), factor, null, reason);
    }

    /** A multiplier for quotes asked by one sponsor. */
    public static PriceLine forSponsor(String rule, Resource resource, String sponsorId, BigDecimal factor,
                                       String reason) {
        return new PriceLine(rule, null, null, resource, Kind.MULTIPLIER, Condition.SPONSOR, sponsorId, factor, null,
                reason);
    }

    /** A multiplier on this server for quotes asked by one sponsor, from the server's provider. */
    public static PriceLine forProviderSponsor(String rule, String serverId, Resource resource, String sponsorId,
                                               BigDecimal factor, String reason) {
        return new PriceLine(rule, Objects.requireNonNull(serverId, "serverId"), null, resource, Kind.MULTIPLIER,
                Condition.PROVIDER_SPONSOR, Objects.requireNonNull(sponsorId, "sponsorId"), factor, null, reason);
    }

    /**
     * A multiplier on this server for sponsors that spent at least {@code minSpend} with its provider lately;
     * of several tiers only the highest reached applies.
     */
    public static PriceLine forLoyalty(String rule, String serverId, Resource resource, BigDecimal minSpend,
                                       BigDecimal factor, String reason) {
        return new PriceLine(rule, Objects.requireNonNull(serverId, "serverId"), null, resource, Kind.MULTIPLIER,
                Condition.LOYALTY_SPEND, minSpend.stripTrailingZeros().toPlainString(), factor, null, reason);
    }

    /**
     * A multiplier on the egress unit price for traffic to client places at most {@code maxKm} from the
     * server's site ({@code maxKm} null: the farthest class, every longer distance).
     */
    public static PriceLine forDistanceClass(String rule, Resource resource, Long maxKm, BigDecimal factor,
                                             String reason) {
        return new PriceLine(rule, null, null, resource, Kind.MULTIPLIER, Condition.DISTANCE_CLASS,
                maxKm == null ? FARTHEST : Long.toString(maxKm), factor, null, reason);
    }

    /**
     * The congestion curve applies to this resource on this server ({@code serverId} may be null for every
     * server). The reason may contain {@code {utilisation}}, replaced by the utilisation a quote is priced at.
     */
    public static PriceLine congestion(String rule, String serverId, Resource resource, CongestionCurve curve,
                                       String reason) {
        return new PriceLine(rule, serverId, null, resource, Kind.CONGESTION, Condition.ALWAYS, null, null,
                Objects.requireNonNull(curve, "curve"), reason);
    }

    /** The unit price of this resource on this server never goes below {@code price}. */
    public static PriceLine floor(String rule, String serverId, Resource resource, BigDecimal price, String reason) {
        return new PriceLine(rule, serverId, null, resource, Kind.FLOOR, Condition.ALWAYS, null, price, null, reason);
    }

    /** A fraction as a percentage for reasons: 0.15 gives "15%". */
    public static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    public String getRule() {
        return rule;
    }

    public String getServerId() {
        return serverId;
    }

    /** The region whose servers the line is for, or null. */
    public String getRegionCode() {
        return regionCode;
    }

    public Resource getResource() {
        return resource;
    }

    public Kind getKind() {
        return kind;
    }

    public Condition getCondition() {
        return condition;
    }

    public String getConditionValue() {
        return conditionValue;
    }

    public BigDecimal getValue() {
        return value;
    }

    public CongestionCurve getCurve() {
        return curve;
    }

    public String getReason() {
        return reason;
    }

    /** Lines are values: equal when every field is (the curve by identity, as it comes from one policy). */
    @Override
    public boolean equals(Object o) {
        return o instanceof PriceLine l && rule.equals(l.rule) && Objects.equals(serverId, l.serverId)
                && Objects.equals(regionCode, l.regionCode)
                && resource == l.resource && kind == l.kind && condition == l.condition
                && Objects.equals(conditionValue, l.conditionValue) && Objects.equals(value, l.value)
                && curve == l.curve && reason.equals(l.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, serverId, regionCode, resource, kind, condition, conditionValue, value, reason);
    }

    @Override
    public String toString() {
        return "PriceLine[" + rule + ", " + (serverId != null ? serverId : regionCode != null ? "region " + regionCode
                : "every server") + ", " + resource + ", " + kind + ", " + condition
                + (conditionValue == null ? "" : "=" + conditionValue) + ", " + value + ", " + reason + "]";
    }
}
