package org.xenomarket.market.spending.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.audit.repository.AuditStatements;
import org.xenomarket.market.money.DecimalAmount;
import org.xenomarket.market.money.MinorUnits;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.problem.SpendingLimitExceeded;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.spending.SpendingLimit;
import org.xenomarket.market.spending.repository.SpendingLimitRepository;

/**
 * Sponsors' monthly spending limits, and the check a bid passes before it is stored: its worst case
 * (max price per hour × duration) must fit in what is left of the limit this UTC month, checked
 * under a lock on the sponsor's limit row in the transaction that stores the bid.
 */
@ApplicationScoped
public class SpendingLimits {

    /** A limit and the room it leaves this month, in minor units (negative once passed). */
    public record Standing(SpendingLimit limit, long roomLeftMinor) {
    }

    private final SpendingLimitRepository limits;
    private final AuditStatements audit;
    private final PricingService pricing;
    private final Clock clock;

    public SpendingLimits(SpendingLimitRepository limits, AuditStatements audit, PricingService pricing, Clock clock) {
        this.limits = limits;
        this.audit = audit;
        this.pricing = pricing;
        this.clock = clock;
    }

    /** Sets the sponsor's limit to {@code amount} (a decimal string) of the market's currency. */
    public Uni<Standing> set(Actor actor, UUID sponsorId, String amount, String currency) {
        return Uni.createFrom().deferred(() -> {
            String market = pricing.currency().getCurrencyCode();
            if (!market.equals(currency)) {
                throw new InvalidInput("currency", "the market prices in " + market);
            }
            long minor = minorUnitsOf(amount, pricing.currency());
            SpendingLimit limit = new SpendingLimit(sponsorId, market, minor, clock.instant());
            return limits.inTransaction(tx -> limits.save(tx, limit, actor.accountId())
                    .chain(() -> audit.record(tx, actor, "spending-limit.set", "account", sponsorId.toString(),
                            "{\"monthlyLimitMinor\":" + minor + ",\"currency\":\"" + market + "\"}", null, limit.setAt()))
                    .replaceWith(limit)).chain(this::standing);
        });
    }

    /** The sponsor's limit and its room left this month; 404 if it set none. */
    public Uni<Standing> get(UUID sponsorId) {
        return limits.find(sponsorId).chain(limit -> {
            if (limit == null) {
                throw new NotFound("spending limit of account", sponsorId);
            }
            return standing(limit);
        });
    }

    private Uni<Standing> standing(SpendingLimit limit) {
        return room(limit).map(room -> new Standing(limit, room));
    }

    /** What one bid of {@link #checkAll} asks of its sponsor's limit. */
    public record Ask(UUID sponsorId, String currencyCode, BigDecimal maxPricePerHour, long durationHours) {
    }

    /**
     * Checks new bids against their sponsors' monthly limits, in the transaction that then stores them: each
     * bid's worst case (max price per hour × duration) must fit in what is left of its sponsor's limit this
     * UTC month, else its answer is a 422 saying the room left. The sponsors' limit rows are locked (in id
     * order) until that transaction ends, so concurrent transactions of one sponsor are checked one after
     * another; within the list, bids count as if they came one after another in order: each that fits takes
     * its worst case (unrounded, as the committed sum counts an open bid) from the room of those after it.
     * Together they never pass the limit. Answers, per bid in order, null when it fits or its refusal; the
     * caller stores exactly the bids that fit.
     */
    public Uni<List<SpendingLimitExceeded>> checkAll(SqlConnection tx, List<Ask> asks) {
        List<UUID> sponsors = asks.stream().map(Ask::sponsorId).distinct().toList();
        return limits.lockAll(tx, sponsors).chain(locked -> {
            Map<UUID, BigDecimal> committed = new HashMap<>();
            ZonedDateTime month = month();
            Uni<Void> sums = Uni.createFrom().voidItem();
            for (SpendingLimit limit : locked.values()) {
                if (asks.stream().anyMatch(a -> a.sponsorId().equals(limit.sponsorId())
                        && a.currencyCode().equals(limit.currency()))) {
                    sums = sums.chain(() -> limits.committed(tx, limit.sponsorId(), limit.currency(), month.toInstant(),
                                    month.plusMonths(1).toInstant())
                            .invoke(sum -> committed.put(limit.sponsorId(), sum)).replaceWithVoid());
                }
            }
            return sums.map(ignored -> {
                List<SpendingLimitExceeded> answers = new ArrayList<>(asks.size());
                for (Ask ask : asks) {
                    SpendingLimit limit = locked.get(ask.sponsorId());
                    if (limit == null || !limit.currency().equals(ask.currencyCode())) {
                        answers.add(null);
                        continue;
                    }
                    Currency currency = Currency.getInstance(limit.currency());
                    BigDecimal worstExact = ask.maxPricePerHour().multiply(BigDecimal.valueOf(ask.durationHours()));
                    BigDecimal sum = committed.get(ask.sponsorId());
                    long room = limit.monthlyLimitMinor() - MinorUnits.round(sum, currency);
                    SpendingLimitExceeded refused = refusal(MinorUnits.round(worstExact, currency), room, limit,
                            currency, ask.durationHours());
                    if (refused == null) {
                        committed.put(ask.sponsorId(), sum.add(worstExact));
                    }
                    answers.add(refused);
                }
                return answers;
            });
        });
    }

    private static SpendingLimitExceeded refusal(long worst, long room, SpendingLimit limit, Currency currency,
                                                 long durationHours) {
        if (worst <= room) {
            return null;
        }
        return new SpendingLimitExceeded("maxPricePerHour", "the bid's worst case, "
                + money(worst, currency) + " (max price per hour × " + durationHours
                + " h), passes the monthly spending limit of " + money(limit.monthlyLimitMinor(), currency)
                + "; " + money(Math.max(0, room), currency) + " of room is left this month");
    }

    private ZonedDateTime month() {
        return clock.instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
    }

    private Uni<Long> room(SpendingLimit limit) {
        ZonedDateTime month = month();
        Instant from = month.toInstant();
        Instant to = month.plusMonths(1).toInstant();
        Currency currency = Currency.getInstance(limit.currency());
        return limits.committed(limit.sponsorId(), limit.currency(), from, to)
                .map(sum -> limit.monthlyLimitMinor() - MinorUnits.round(sum, currency));
    }

    private static String money(long minor, Currency currency) {
        return MinorUnits.toAmount(minor, currency).toPlainString() + " " + currency.getCurrencyCode();
    }

    private static long minorUnitsOf(String amount, Currency currency) {
        BigDecimal value = DecimalAmount.parse("amount", amount, "500.00");
        if (value.signum() < 0) {
            throw new InvalidInput("amount", "must not be negative");
        }
        if (value.stripTrailingZeros().scale() > MinorUnits.digits(currency)) {
            throw new InvalidInput("amount", currency.getCurrencyCode() + " has " + MinorUnits.digits(currency)
                    + " decimal digits");
        }
        if (value.compareTo(new BigDecimal("1000000000000")) >= 0) {
            throw new InvalidInput("amount", "must be below 10^12");
        }
        return value.movePointRight(MinorUnits.digits(currency)).longValueExact();
    }
}
