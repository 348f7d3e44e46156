package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a provider tells pricing about sponsors, for every server it lists: a discount or surcharge per
 * sponsor account ({@code adjustments}: a signed fraction, -0.10 is 10% off, 0.05 is 5% more) and loyalty
 * tiers by what the sponsor spent with the provider over the last {@code loyaltyWindowDays} days (amounts
 * in the policy currency). The rules turn them into lines of the server's sheet; a quote applies the
 * adjustment of its sponsor and the highest tier its spend reaches. Who may buy at all (allow and deny
 * lists) is the market's business, not pricing's.
 */
public record ProviderSponsorTerms(Map<String, BigDecimal> adjustments, List<LoyaltyTier> loyaltyTiers,
                                   int loyaltyWindowDays) {

    /** The least and greatest adjustment a provider may give one sponsor: at most half off, at most double. */
    public static final BigDecimal MIN_ADJUSTMENT = new BigDecimal("-0.5");
    public static final BigDecimal MAX_ADJUSTMENT = BigDecimal.ONE;

    /** A provider with no terms for sponsors. */
    public static final ProviderSponsorTerms NONE = new ProviderSponsorTerms(Map.of(), List.of(), 0);

    /** From {@code minSpend} (inclusive) spent with the provider in the window, {@code discount} off. */
    public record LoyaltyTier(BigDecimal minSpend, BigDecimal discount) {

        public LoyaltyTier {
            Objects.requireNonNull(minSpend, "minSpend");
            Objects.requireNonNull(discount, "discount");
            if (minSpend.signum() <= 0) {
                throw new IllegalArgumentException("a loyalty tier's minimum spend must be positive: " + minSpend);
            }
            if (discount.signum() <= 0 || discount.compareTo(MIN_ADJUSTMENT.negate()) > 0) {
                throw new IllegalArgumentException("a loyalty discount must be in (0, 0.5]: " + discount);
            }
        }
    }

    public ProviderSponsorTerms {
        adjustments = adjustments == null ? Map.of() : Map.copyOf(new TreeMap<>(adjustments));
        loyaltyTiers = loyaltyTiers == null ? List.of()
                : loyaltyTiers.stream().sorted(Comparator.comparing(LoyaltyTier::minSpend)).toList();
        adjustments.forEach((sponsor, a) -> {
            if (a.signum() == 0 || a.compareTo(MIN_ADJUSTMENT) < 0 || a.compareTo(MAX_ADJUSTMENT) > 0) {
                throw new IllegalArgumentException("the adjustment for sponsor " + sponsor
                        + " must be non-zero, in [-0.5, 1]: " + a);
            }
        });
        if (!loyaltyTiers.isEmpty() && loyaltyWindowDays <= 0) {
            throw new IllegalArgumentException("loyalty tiers need a window of at least one day");
        }
        for (int i = 1; i < loyaltyTiers.size(); i++) {
            if (loyaltyTiers.get(i).minSpend().compareTo(loyaltyTiers.get(i - 1).minSpend()) == 0) {
                throw new IllegalArgumentException("two loyalty tiers from " + loyaltyTiers.get(i).minSpend());
            }
        }
    }

    public boolean isEmpty() {
        return adjustments.isEmpty() && loyaltyTiers.isEmpty();
    }
}
