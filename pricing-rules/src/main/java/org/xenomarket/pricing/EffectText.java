package org.xenomarket.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How numbers read in a breakdown: prices with six decimals, multipliers like "x1.35", shares like "82%". */
final class EffectText {

    private EffectText() {
    }

    static String price(BigDecimal price) {
        return (price.scale() < PriceSheet.UNIT_PRICE_SCALE ? price.setScale(PriceSheet.UNIT_PRICE_SCALE) : price)
                .toPlainString();
    }

    static String factor(BigDecimal factor) {
        BigDecimal f = factor.stripTrailingZeros();
        return "x" + (f.scale() < 2 ? f.setScale(2) : f).toPlainString();
    }

    static String percent(BigDecimal share) {
        return share.movePointRight(2).setScale(1, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString() + "%";
    }

    static String hours(long seconds) {
        return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(3600), 2, RoundingMode.HALF_EVEN)
                .stripTrailingZeros().toPlainString();
    }
}
