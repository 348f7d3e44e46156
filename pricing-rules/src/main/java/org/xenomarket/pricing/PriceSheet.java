package org.xenomarket.pricing;

import org.xenomarket.pricing.rules.AcceleratorRate;
import org.xenomarket.pricing.rules.PolicyFacts;
import org.xenomarket.pricing.rules.PriceLine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the rules decided for one server, ready for the hot path: {@link #quote} and the unit-price
 * accessors use plain arithmetic only, no rule engine. Immutable and thread-safe.
 *
 * <p>Congestion is evaluated at utilisation <em>including</em> the request (the marginal price): a request
 * that would fill the server is priced as if it were full. {@link #withReserved} re-prices the same sheet
 * as a clearing round places leases, without running the rules again.
 */
public final class PriceSheet {

    /** Decimals of a unit price (micro-units of the currency per unit-hour or per GB). */
    public static final int UNIT_PRICE_SCALE = 6;

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
    private static final long MIB_PER_GIB = 1_024;
    /** One unit price of 1 in micro-units, times 1024 (see the fast path's price per hour). */
    private static final long MICRO_PER_UNIT_1024 = 1_000_000L * MIB_PER_GIB;
    // the time-based resources, in breakdown order; egress comes last
    private static final Resource[] TIME_BASED = {Resource.VCPU, Resource.MEMORY, Resource.DISK};

    private final String policyVersion;
    private final Currency currency;
    private final Duration quoteValidity;
    private final ServerSnapshot server;
    private final Instant asOf;
    private final EnumMap<Resource, ResourcePricing> pricing;
    private final boolean anyLocalHourLines;
    private final int minorUnits;
    /** Accelerator models the rules priced, by model; the same for every server of a policy. */
    private final Map<String, AcceleratorRate> acceleratorRates;
    /**
     * The last two stretches of constant UTC offset quotes started in; a cache, so races only cost a look-up.
     * Two, as a clearing round alternates between its bids' dates and the fixed date of its rank index.
     */
    private volatile LocalHours.OffsetWindow offsetWindow;
    private volatile LocalHours.OffsetWindow otherOffsetWindow;

    private PriceSheet(String policyVersion, Currency currency, Duration quoteValidity, ServerSnapshot server,
                       Instant asOf, EnumMap<Resource, ResourcePricing> pricing,
                       Map<String, AcceleratorRate> acceleratorRates) {
        this.acceleratorRates = acceleratorRates;
        this.policyVersion = policyVersion;
        this.currency = currency;
        this.quoteValidity = quoteValidity;
        this.server = server;
        this.asOf = asOf;
        this.pricing = pricing;
        this.anyLocalHourLines = pricing.values().stream().anyMatch(ResourcePricing::hasLocalHourLines);
        this.minorUnits = Money.minorUnits(currency);
    }

    /** Arranges all the lines the rules produced for one server (and for every server) into a sheet. */
    static PriceSheet assemble(PricingPolicy policy, ServerSnapshot server, Instant asOf, List<PriceLine> lines) {
        List<PriceLine> serverLines = new ArrayList<>();
        List<PriceLine> requestTerms = new ArrayList<>();
        for (PriceLine line : lines) {
            (RequestTerms.isRequestTerm(line) ? requestTerms : serverLines).add(line);
        }
        return assemble(policy, server, asOf, serverLines, RequestTerms.byResource(requestTerms), null);
    }

    /**
     * Arranges one server's own lines into a sheet, with request terms already arranged once for every
     * server (the cheap way to price many servers).
     */
    static PriceSheet assemble(PricingPolicy policy, ServerSnapshot server, Instant asOf, List<PriceLine> serverLines,
                               EnumMap<Resource, RequestTerms> terms) {
        return assemble(policy, server, asOf, serverLines, terms, null);
    }

    /**
     * As above, reusing the arranged pricing of any resource whose lines equal one already arranged (servers
     * of one region without floors of their own share it); {@code reuse} may be null.
     */
    static PriceSheet assemble(PricingPolicy policy, ServerSnapshot server, Instant asOf, List<PriceLine> serverLines,
                               EnumMap<Resource, RequestTerms> terms,
                               Map<List<PriceLine>, ResourcePricing> reuse) {
        EnumMap<Resource, List<PriceLine>> byResource = new EnumMap<>(Resource.class);
        for (Resource r : Resource.values()) {
            byResource.put(r, new ArrayList<>(4));
        }
        for (PriceLine line : serverLines) {
            byResource.get(line.getResource()).add(line);
        }
        EnumMap<Resource, ResourcePricing> pricing = new EnumMap<>(Resource.class);
        byResource.forEach((r, ls) -> pricing.put(r, reuse == null ? new ResourcePricing(r, ls, terms.get(r))
                : reuse.computeIfAbsent(ls, key -> new ResourcePricing(r, key, terms.get(r)))));
        return new PriceSheet(policy.version(), policy.tables().currency(), policy.tables().quoteValidity(), server,
                asOf, pricing, Map.of());
    }

    /** The named rounding place for unit prices: HALF_EVEN to {@link #UNIT_PRICE_SCALE} decimals. */
    public static BigDecimal roundUnitPrice(BigDecimal exact) {
        return exact.setScale(UNIT_PRICE_SCALE, RoundingMode.HALF_EVEN);
    }

    /**
     * Prices a request on this server. Unit prices are lease averages (local peak hours weigh by the time
     * spent in them); pricePerHour and total are computed from those unit prices and rounded once each.
     * The breakdown is worked out when first read (clearing compares many quotes and reads few).
     */
    public Quote quote(QuoteRequest request, Instant now) {
        return quote(request, server.reserved(), now);
    }

    /**
     * The quote {@code withReserved(reserved).quote(request, now)} gives, without making that sheet on the
     * fast path: an offer search prices up to 200 servers, each at its own reservation, and the copies
     * (a server snapshot, a sheet and a fresh time-zone offset cache each) were most of that work. The
     * copy is made only when the quote's breakdown is read, or on the BigDecimal path.
     */
    public Quote quote(QuoteRequest request, ResourceVector reserved, Instant now) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(reserved, "reserved");
        Objects.requireNonNull(now, "now");
        if (!request.clientPlaces().isEmpty() || request.accelerators() != null) {
            // long-haul egress and accelerators are priced in BigDecimal: few requests name places or GPUs,
            // and those that do are not the clearing round's inner loop of plain vCPU and memory bids
            return atReserved(reserved).price(request, now, null);
        }
        try {
            return fastQuote(request, reserved, now);
        } catch (ArithmeticException tooLargeForLongs) {
            return atReserved(reserved).price(request, now, null);
        }
    }

    /** This sheet when it already has {@code reserved} reserved, else a copy that has. */
    private PriceSheet atReserved(ResourceVector reserved) {
        return reserved.equals(server.reserved()) ? this : withReserved(reserved);
    }

    /**
     * The price per hour {@link #quote} would give for the request with {@code reserved} already reserved on
     * this server, in micro-units of the currency, without building the quote: what a clearing round
     * compares over many servers as it fills them. Equal to {@code withReserved(reserved).quote(request, t)
     * .pricePerHour()} for any {@code t}.
     */
    public long pricePerHourMicros(QuoteRequest request, ResourceVector reserved) {
        if (request.accelerators() != null) {
            return withReserved(reserved).price(request, asOf, null).pricePerHour().amount()
                    .movePointRight(UNIT_PRICE_SCALE).longValueExact();
        }
        try {
            return fastPricePerHourMicros(request, reserved);
        } catch (ArithmeticException tooLargeForLongs) {
            return withReserved(reserved).price(request, asOf, null).pricePerHour().amount()
                    .movePointRight(UNIT_PRICE_SCALE).longValueExact();
        }
    }

    /**
     * A lower bound, in micro-units, of {@link #pricePerHourMicros} for the request at any reservation: nothing
     * reserved, and each resource's local-hour bands weighed by the whole local days the lease is sure to hold
     * (none when the server's UTC offset changes within it), the rest of the lease at its cheapest band. It holds
     * because every step is monotone: congestion never falls as utilisation rises (the policy schema refuses a
     * curve that does), every multiplier is positive, floors and roundings never take a larger price below a
     * smaller one, and accelerators (left out here) never cost less than nothing. It depends on the start only
     * through {@link #wholeLocalDays}, so an offer search can remember it per sheet and request shape, and price
     * exactly only the servers it does not rule out. {@link Long#MIN_VALUE} (no bound) when the long arithmetic
     * overflows.
     */
    public long pricePerHourLowerBoundMicros(QuoteRequest request) {
        try {
            long seconds = request.duration().getSeconds();
            long days = wholeLocalDays(request);
            ResourceVector wanted = request.resources();
            ResourceVector capacity = server.capacity();
            ServiceClass serviceClass = request.serviceClass();
            String sponsor = request.sponsorId();
            BigDecimal spend = request.spendWith(server.providerId());
            long perHour = 0;
            if (wanted.vcpus() != 0) {
                long vcpu = pricing.get(Resource.VCPU).lowestPriceMicro(serviceClass,
                        PolicyFacts.utilisationPpm(capacity.vcpus(), wanted.vcpus()), seconds, sponsor, spend, days);
                perHour = Math.multiplyExact(Math.multiplyExact(wanted.vcpus(), vcpu), MIB_PER_GIB);
            }
            if (wanted.memoryMib() != 0) {
                long memory = pricing.get(Resource.MEMORY).lowestPriceMicro(serviceClass,
                        PolicyFacts.utilisationPpm(capacity.memoryMib(), wanted.memoryMib()), seconds, sponsor, spend,
                        days);
                perHour = Math.addExact(perHour, Math.multiplyExact(wanted.memoryMib(), memory));
            }
            if (wanted.diskGib() != 0) {
                long disk = pricing.get(Resource.DISK).lowestPriceMicro(serviceClass,
                        PolicyFacts.utilisationPpm(capacity.diskGib(), wanted.diskGib()), seconds, sponsor, spend, days);
                perHour = Math.addExact(perHour, Math.multiplyExact(Math.multiplyExact(wanted.diskGib(), disk),
                        MIB_PER_GIB));
            }
            return roundedPerHourMicros(perHour);
        } catch (ArithmeticException tooLargeForLongs) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * The whole local days (each local hour of day once) the request's lease surely holds at this server: its
     * whole 24-hour spans when the server's UTC offset stays the same throughout, else none (a lease across a
     * daylight-saving change may hold an hour of day twice or not at all). What {@link
     * #pricePerHourLowerBoundMicros} depends on besides the request's shape.
     */
    public long wholeLocalDays(QuoteRequest request) {
        long seconds = request.duration().getSeconds();
        if (seconds < 86_400) {
            return 0;
        }
        ZoneRules rules = server.zone().getRules();
        if (!rules.isFixedOffset()) {
            ZoneOffsetTransition next = rules.nextTransition(request.start());
            if (next != null && next.getInstant().getEpochSecond() <= request.start().getEpochSecond() + seconds) {
                return 0;
            }
        }
        return seconds / 86_400;
    }

    private long fastPricePerHourMicros(QuoteRequest request, ResourceVector reserved) {
        long seconds = request.duration().getSeconds();
        LocalSpans.Split split = anyLocalHourLines ? localSplit(request.start(), seconds) : null;
        ResourceVector wanted = request.resources();
        ResourceVector capacity = server.capacity();
        ServiceClass serviceClass = request.serviceClass();
        String sponsor = request.sponsorId();
        BigDecimal spend = request.spendWith(server.providerId());
        long perHour = 0;
        if (wanted.vcpus() != 0) {
            long vcpu = unitPriceMicro(Resource.VCPU, serviceClass, capacity.vcpus(), reserved.vcpus(), wanted.vcpus(),
                    seconds, sponsor, spend, split);
            perHour = Math.multiplyExact(Math.multiplyExact(wanted.vcpus(), vcpu), MIB_PER_GIB);
        }
        if (wanted.memoryMib() != 0) {
            long memory = unitPriceMicro(Resource.MEMORY, serviceClass, capacity.memoryMib(), reserved.memoryMib(),
                    wanted.memoryMib(), seconds, sponsor, spend, split);
            perHour = Math.addExact(perHour, Math.multiplyExact(wanted.memoryMib(), memory));
        }
        if (wanted.diskGib() != 0) {
            long disk = unitPriceMicro(Resource.DISK, serviceClass, capacity.diskGib(), reserved.diskGib(),
                    wanted.diskGib(), seconds, sponsor, spend, split);
            perHour = Math.addExact(perHour, Math.multiplyExact(Math.multiplyExact(wanted.diskGib(), disk),
                    MIB_PER_GIB));
        }
        return roundedPerHourMicros(perHour);
    }

    /**
     * A price per hour in 1/1024 micro-units rounded to minor units exactly as the quote's pricePerHour, then
     * expressed in micro-units: the last step of the round's price and of its lower bound.
     */
    private long roundedPerHourMicros(long perHour) {
        long perHourMinor = Fixed.divideHalfEven(Math.multiplyExact(perHour, Fixed.pow10(minorUnits)),
                MICRO_PER_UNIT_1024);
        return Math.multiplyExact(perHourMinor, Fixed.pow10(UNIT_PRICE_SCALE - minorUnits));
    }

    /**
     * One resource's unit price in micro-units, by the fast path, at the utilisation the server would
     * have with {@code wanted} added to {@code reserved} out of {@code capacity}: the step the fast quote
     * and the round's price per hour share.
     */
    private long unitPriceMicro(Resource resource, ServiceClass serviceClass, long capacity, long reserved, long wanted,
                                long seconds, String sponsor, BigDecimal spend, LocalSpans.Split split) {
        return pricing.get(resource).fastPriceMicro(serviceClass,
                PolicyFacts.utilisationPpm(capacity, Math.addExact(reserved, wanted)), seconds, sponsor, spend, split);
    }

    /** The quote by the BigDecimal path alone: the reference the fast path is tested against. */
    Quote quoteExact(QuoteRequest request, Instant now) {
        return price(request, now, null);
    }

    /**
     * The hot path: the same arithmetic as {@link #price} in longs (micro-units), exact, allocating little
     * beyond the result. Throws ArithmeticException when a value outgrows a long; {@link #quote} then falls
     * back to the BigDecimal path.
     */
    private Quote fastQuote(QuoteRequest request, ResourceVector reserved, Instant now) {
        long seconds = request.duration().getSeconds();
        LocalSpans.Split split = anyLocalHourLines ? localSplit(request.start(), seconds) : null;
        ResourceVector wanted = request.resources();
        ResourceVector capacity = server.capacity();
        ServiceClass serviceClass = request.serviceClass();
        String sponsor = request.sponsorId();
        BigDecimal spend = request.spendWith(server.providerId());
        long vcpu = unitPriceMicro(Resource.VCPU, serviceClass, capacity.vcpus(), reserved.vcpus(), wanted.vcpus(),
                seconds, sponsor, spend, split);
        long memory = unitPriceMicro(Resource.MEMORY, serviceClass, capacity.memoryMib(), reserved.memoryMib(),
                wanted.memoryMib(), seconds, sponsor, spend, split);
        long disk = unitPriceMicro(Resource.DISK, serviceClass, capacity.diskGib(), reserved.diskGib(),
                wanted.diskGib(), seconds, sponsor, spend, split);
        long egress = pricing.get(Resource.EGRESS).fastPriceMicro(serviceClass, 0, seconds, sponsor, spend, null);
        // price per hour in 1/1024 micro-units, so memory in MiB needs no division
        long perHour = Math.addExact(Math.addExact(
                Math.multiplyExact(Math.multiplyExact(wanted.vcpus(), vcpu), MIB_PER_GIB),
                Math.multiplyExact(wanted.memoryMib(), memory)),
                Math.multiplyExact(Math.multiplyExact(wanted.diskGib(), disk), MIB_PER_GIB));
        long totalTimes3600 = Math.addExact(Math.multiplyExact(perHour, seconds), Math.multiplyExact(
                Math.multiplyExact(egress, request.expectedEgressGb()), MIB_PER_GIB * 3_600));
        long minorScale = Fixed.pow10(minorUnits);
        long perHourMinor = Fixed.divideHalfEven(Math.multiplyExact(perHour, minorScale), MICRO_PER_UNIT_1024);
        long totalMinor = Fixed.divideHalfEven(Math.multiplyExact(totalTimes3600, minorScale),
                MICRO_PER_UNIT_1024 * 3_600);
        return new Quote(server.serverId(), policyVersion, currency,
                new ResourcePrices(BigDecimal.valueOf(vcpu, UNIT_PRICE_SCALE),
                        BigDecimal.valueOf(memory, UNIT_PRICE_SCALE), BigDecimal.valueOf(disk, UNIT_PRICE_SCALE),
                        BigDecimal.valueOf(egress, UNIT_PRICE_SCALE)),
                new Money(BigDecimal.valueOf(perHourMinor, minorUnits), currency),
                new Money(BigDecimal.valueOf(totalMinor, minorUnits), currency),
                new LazyBreakdown(this, reserved, request), now.plus(quoteValidity));
    }

    /** The breakdown of the quote for a request: each rule's effect on each resource, in order. */
    public List<PriceEffect> breakdown(QuoteRequest request) {
        List<PriceEffect> effects = new ArrayList<>(32);
        price(request, asOf, effects);
        return List.copyOf(effects);
    }

    private Quote price(QuoteRequest request, Instant now, List<PriceEffect> effects) {
        long seconds = request.duration().getSeconds();
        long[] hourSeconds = anyLocalHourLines ? hourSeconds(request.start(), seconds) : null;
        ResourceVector wanted = request.resources();
        ResourceVector capacity = server.capacity();
        ResourceVector reserved = server.reserved();
        ServiceClass serviceClass = request.serviceClass();
        String sponsor = request.sponsorId();
        BigDecimal spend = request.spendWith(server.providerId());
        BigDecimal[] prices = new BigDecimal[TIME_BASED.length];
        BigDecimal perHour = BigDecimal.ZERO;
        for (int i = 0; i < TIME_BASED.length; i++) {
            Resource r = TIME_BASED[i];
            long u = PolicyFacts.utilisationPpm(capacity.raw(r), Math.addExact(reserved.raw(r), wanted.raw(r)));
            prices[i] = pricing.get(r).price(serviceClass, u, seconds, sponsor, spend, hourSeconds, effects);
            if (wanted.raw(r) != 0) {
                perHour = perHour.add(wanted.quantity(r).multiply(prices[i]));
            }
        }
        if (request.accelerators() != null) {
            perHour = perHour.add(acceleratorsPerHour(request.accelerators(), effects));
        }
        BigDecimal egressPrice = pricing.get(Resource.EGRESS).price(serviceClass, 0, seconds, sponsor, spend, null, effects);
        // total = perHour * hours + egress; kept over 3600 so the only rounding is the final one
        BigDecimal totalTimes3600 = perHour.multiply(BigDecimal.valueOf(seconds));
        if (request.expectedEgressGb() != 0) {
            totalTimes3600 = totalTimes3600.add(
                    egressPrice.multiply(BigDecimal.valueOf(request.expectedEgressGb())).multiply(SECONDS_PER_HOUR));
        }
        if (!request.clientPlaces().isEmpty()) {
            totalTimes3600 = totalTimes3600.add(LongHaulEgress.charge(pricing.get(Resource.EGRESS), server.site(),
                    request.clientPlaces(), egressPrice, effects).multiply(SECONDS_PER_HOUR));
        }
        if (effects != null) {
            return null;
        }
        return new Quote(server.serverId(), policyVersion, currency,
                new ResourcePrices(prices[0], prices[1], prices[2], egressPrice),
                Money.roundToMinorUnits(perHour, currency),
                Money.roundToMinorUnits(totalTimes3600, SECONDS_PER_HOUR, currency),
                new LazyBreakdown(this, server.reserved(), request), now.plus(quoteValidity));
    }

    /**
     * The devices' price for one hour: their count at their model's rate. With a breakdown list, appends
     * the line that explains it (resource null: accelerators are not one of a server's divisible resources).
     *
     * @throws UnknownAcceleratorModel when the rules priced no such model
     */
    private BigDecimal acceleratorsPerHour(AcceleratorDemand demand, List<PriceEffect> effects) {
        AcceleratorRate rate = acceleratorRates.get(demand.model());
        if (rate == null) {
            throw new UnknownAcceleratorModel(demand.model(), policyVersion);
        }
        BigDecimal perHour = rate.getHourlyPrice().multiply(BigDecimal.valueOf(demand.count()));
        if (effects != null) {
            effects.add(new PriceEffect(rate.getRule(), null, "base " + EffectText.price(rate.getHourlyPrice())
                    + " x" + demand.count(), rate.getReason() + ": " + demand.count() + " x " + demand.model()
                    + " at " + EffectText.price(rate.getHourlyPrice()) + " per device-hour"));
        }
        return perHour;
    }

    /** Seconds of the lease per local hour at the server: the BigDecimal path's own split, kept by no one. */
    private long[] hourSeconds(Instant start, long seconds) {
        long from = start.getEpochSecond();
        long to = Math.addExact(from, seconds);
        LocalHours.OffsetWindow w = offsetWindow(from, start);
        return w.covers(from, to)
                ? LocalHours.ofLocalSpan(from + w.offsetSeconds(), to + w.offsetSeconds())
                : LocalHours.secondsPerHourOfDay(server.zone(), start, seconds);
    }

    /**
     * The fast paths' split of the lease per local hour at the server: the one {@link LocalSpans} keeps for
     * the same local span when there is one (a round prices a bid on server after server at one offset).
     */
    private LocalSpans.Split localSplit(Instant start, long seconds) {
        long from = start.getEpochSecond();
        long to = Math.addExact(from, seconds);
        LocalHours.OffsetWindow w = offsetWindow(from, start);
        return w.covers(from, to)
                ? LocalSpans.of(from + w.offsetSeconds(), to + w.offsetSeconds())
                : LocalSpans.unkept(LocalHours.secondsPerHourOfDay(server.zone(), start, seconds));
    }

    /** The stretch of constant offset the instant falls in, without a time-zone look-up when one kept has it. */
    private LocalHours.OffsetWindow offsetWindow(long from, Instant start) {
        LocalHours.OffsetWindow w = offsetWindow;
        if (w == null || !w.covers(from, from)) {
            LocalHours.OffsetWindow other = otherOffsetWindow;
            otherOffsetWindow = w;
            w = other != null && other.covers(from, from) ? other
                    : LocalHours.OffsetWindow.around(server.zone(), start);
            offsetWindow = w;
        }
        return w;
    }

    /**
     * Unit price of a resource for a class at a given utilisation (0..1), before local peak hours, lease
     * length and sponsor discounts, floors applied: what a clearing round compares as a server fills.
     */
    public BigDecimal unitPrice(Resource resource, ServiceClass serviceClass, BigDecimal utilisation) {
        return pricing.get(resource).listPrice(serviceClass, utilisation);
    }

    /** {@link #unitPrice(Resource, ServiceClass, BigDecimal)} at this sheet's current utilisation. */
    public BigDecimal unitPrice(Resource resource, ServiceClass serviceClass) {
        return unitPrice(resource, serviceClass, resource.timeBased() ? utilisation(resource) : BigDecimal.ZERO);
    }

    /** The congestion curve the rules applied to a resource, if any. */
    public Optional<CongestionCurve> congestionCurve(Resource resource) {
        PriceLine line = pricing.get(resource).congestion();
        return line == null ? Optional.empty() : Optional.of(line.getCurve());
    }

    /** The base unit price of a resource on this server. */
    public BigDecimal basePrice(Resource resource) {
        return pricing.get(resource).base();
    }

    /** The floor a rule set for a resource (normally the provider's), at unit-price precision rounded up, if any. */
    public Optional<BigDecimal> floorPrice(Resource resource) {
        return Optional.ofNullable(pricing.get(resource).floorPrice());
    }

    /** Current utilisation of a time-based resource (0..1). */
    public BigDecimal utilisation(Resource resource) {
        return PolicyFacts.utilisation(server.capacity(), server.reserved(), resource);
    }

    /** Utilisation of a time-based resource if a request were placed here: what the quote is priced at. */
    public BigDecimal utilisationWith(Resource resource, ResourceVector request) {
        return PolicyFacts.utilisation(server.capacity(), server.reserved().plus(request), resource);
    }

    /** Whether the request fits in the capacity left on this server. */
    public boolean fits(ResourceVector request) {
        return server.reserved().plus(request).fitsWithin(server.capacity());
    }

    /** The same sheet for the server with a different reservation: cheap, no rules run. */
    public PriceSheet withReserved(ResourceVector reserved) {
        return new PriceSheet(policyVersion, currency, quoteValidity, server.withReserved(reserved), asOf, pricing,
                acceleratorRates);
    }

    /** The same sheet with the accelerator prices the rules decided (cheap, no rules run). */
    PriceSheet withAcceleratorRates(Map<String, AcceleratorRate> rates) {
        return new PriceSheet(policyVersion, currency, quoteValidity, server, asOf, pricing, Map.copyOf(rates));
    }

    /** The accelerator models this sheet can price, with their prices per device-hour. */
    public Map<String, BigDecimal> acceleratorPrices() {
        Map<String, BigDecimal> out = new java.util.TreeMap<>();
        acceleratorRates.forEach((model, rate) -> out.put(model, rate.getHourlyPrice()));
        return java.util.Collections.unmodifiableMap(out);
    }

    public String serverId() {
        return server.serverId();
    }

    public String policyVersion() {
        return policyVersion;
    }

    public Currency currency() {
        return currency;
    }

    public ServerSnapshot server() {
        return server;
    }

    public Instant asOf() {
        return asOf;
    }

    /** Unit prices at current utilisation for a class, by resource (see {@link #unitPrice(Resource, ServiceClass)}). */
    public Map<Resource, BigDecimal> unitPrices(ServiceClass serviceClass) {
        EnumMap<Resource, BigDecimal> out = new EnumMap<>(Resource.class);
        for (Resource r : Resource.values()) {
            out.put(r, unitPrice(r, serviceClass));
        }
        return Map.copyOf(out);
    }
}
