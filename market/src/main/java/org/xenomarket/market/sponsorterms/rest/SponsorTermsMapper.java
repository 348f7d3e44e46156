package org.xenomarket.market.sponsorterms.rest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.xenomarket.market.money.DecimalAmount;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.sponsorterms.SponsorAccess;
import org.xenomarket.market.sponsorterms.SponsorTerms;
import org.xenomarket.market.sponsorterms.service.SponsorTermsDraft;
import org.xenomarket.pricing.ProviderSponsorTerms;

/** Reads a provider's terms from JSON (every field at fault named at once) and writes them back. */
final class SponsorTermsMapper {

    /** Sponsors on a list, adjustments: enough for any provider's book of customers, bounded per request. */
    static final int MAX_ENTRIES = 1_000;
    static final int MAX_TIERS = 20;

    private SponsorTermsMapper() {
    }

    static SponsorTermsDraft toDraft(SponsorTermsJson json) {
        List<Problem.FieldError> errors = new ArrayList<>();
        SponsorAccess access = SponsorAccess.ALL;
        if (json.access() != null) {
            try {
                access = SponsorAccess.valueOf(json.access());
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("access", "must be ALL, ALLOW_LIST or DENY_LIST"));
            }
        }
        List<UUID> listed = new ArrayList<>();
        List<String> sponsors = json.sponsors() == null ? List.of() : json.sponsors();
        if (access == SponsorAccess.ALL && !sponsors.isEmpty()) {
            errors.add(new Problem.FieldError("sponsors", "access ALL takes no list; use ALLOW_LIST or DENY_LIST"));
        }
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < sponsors.size(); i++) {
            UUID id = uuid("sponsors[" + i + "]", sponsors.get(i), errors);
            if (id != null && !seen.add(id)) {
                errors.add(new Problem.FieldError("sponsors[" + i + "]", "sponsor " + id + " is listed twice"));
            }
            listed.add(id);
        }
        List<SponsorTermsDraft.Adjustment> adjustments = new ArrayList<>();
        List<SponsorTermsJson.AdjustmentJson> given = json.adjustments() == null ? List.of() : json.adjustments();
        Set<UUID> adjusted = new HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String at = "adjustments[" + i + "]";
            SponsorTermsJson.AdjustmentJson a = given.get(i);
            if (a == null) {
                errors.add(new Problem.FieldError(at, "must not be null"));
                continue;
            }
            UUID id = uuid(at + ".sponsorId", a.sponsorId(), errors);
            if (id != null && !adjusted.add(id)) {
                errors.add(new Problem.FieldError(at + ".sponsorId", "sponsor " + id + " has two adjustments"));
            }
            BigDecimal fraction = fraction(at + ".adjustment", a.adjustment(), "-0.10", errors);
            if (fraction != null && (fraction.signum() == 0 || fraction.compareTo(ProviderSponsorTerms.MIN_ADJUSTMENT) < 0
                    || fraction.compareTo(ProviderSponsorTerms.MAX_ADJUSTMENT) > 0)) {
                errors.add(new Problem.FieldError(at + ".adjustment", "must be from -0.5 to 1 and not 0"));
            }
            adjustments.add(new SponsorTermsDraft.Adjustment(id, fraction));
        }
        int windowDays = 0;
        List<SponsorTermsDraft.Tier> tiers = new ArrayList<>();
        if (json.loyalty() != null) {
            List<SponsorTermsJson.TierJson> givenTiers = json.loyalty().tiers() == null ? List.of() : json.loyalty().tiers();
            windowDays = json.loyalty().windowDays() == null ? 0 : json.loyalty().windowDays();
            if (!givenTiers.isEmpty() && windowDays < 1) {
                errors.add(new Problem.FieldError("loyalty.windowDays", "loyalty tiers need a window of 1 to 366 days"));
            }
            Set<BigDecimal> thresholds = new HashSet<>();
            for (int i = 0; i < givenTiers.size(); i++) {
                String at = "loyalty.tiers[" + i + "]";
                SponsorTermsJson.TierJson t = givenTiers.get(i);
                if (t == null) {
                    errors.add(new Problem.FieldError(at, "must not be null"));
                    continue;
                }
                BigDecimal minSpend = amount(at + ".minSpend", t.minSpend(), errors);
                if (minSpend != null && minSpend.signum() <= 0) {
                    errors.add(new Problem.FieldError(at + ".minSpend", "must be positive"));
                } else if (minSpend != null && minSpend.compareTo(new BigDecimal("1000000000000")) >= 0) {
                    errors.add(new Problem.FieldError(at + ".minSpend", "must be below 10^12"));
                } else if (minSpend != null && !thresholds.add(minSpend.stripTrailingZeros())) {
                    errors.add(new Problem.FieldError(at + ".minSpend", "two tiers from " + minSpend.toPlainString()));
                }
                BigDecimal discount = fraction(at + ".discount", t.discount(), "0.05", errors);
                if (discount != null && (discount.signum() <= 0 || discount.compareTo(new BigDecimal("0.5")) > 0)) {
                    errors.add(new Problem.FieldError(at + ".discount", "must be above 0 and at most 0.5"));
                }
                tiers.add(new SponsorTermsDraft.Tier(minSpend, discount));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new SponsorTermsDraft(access, listed, adjustments, windowDays, tiers, json.currency());
    }

    static SponsorTermsJson toJson(SponsorTerms terms) {
        java.util.Currency currency = java.util.Currency.getInstance(terms.currency());
        return new SponsorTermsJson(terms.access().name(),
                terms.listed().stream().map(UUID::toString).sorted().toList(),
                terms.adjustments().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .map(e -> new SponsorTermsJson.AdjustmentJson(e.getKey().toString(), e.getValue().toPlainString()))
                        .toList(),
                new SponsorTermsJson.LoyaltyJson(terms.loyaltyWindowDays(), terms.loyaltyTiers().stream()
                        .map(t -> new SponsorTermsJson.TierJson(
                                org.xenomarket.market.money.MinorUnits.toAmount(t.minSpendMinor(), currency).toPlainString(),
                                t.discount().toPlainString()))
                        .toList()),
                terms.currency());
    }

    private static UUID uuid(String field, String text, List<Problem.FieldError> errors) {
        if (text == null) {
            errors.add(new Problem.FieldError(field, "a sponsor account id is required"));
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError(field, "not an account id: " + text));
            return null;
        }
    }

    /** A fraction of a price: a plain decimal with at most 4 decimals (the column's scale). */
    private static BigDecimal fraction(String field, String text, String example, List<Problem.FieldError> errors) {
        BigDecimal value = decimal(field, text, example, errors);
        if (value != null && value.stripTrailingZeros().scale() > 4) {
            errors.add(new Problem.FieldError(field, "at most 4 decimals"));
            return null;
        }
        return value;
    }

    private static BigDecimal amount(String field, String text, List<Problem.FieldError> errors) {
        return decimal(field, text, "1000.00", errors);
    }

    private static BigDecimal decimal(String field, String text, String example, List<Problem.FieldError> errors) {
        try {
            return DecimalAmount.parse(field, text, example);
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
            return null;
        }
    }
}
