package org.xenomarket.portal.format;

import io.quarkus.qute.TemplateExtension;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** How pages show the market's numbers, money and times. */
@TemplateExtension
public final class Formats {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** 123.4 km. */
    static String km(Number value) {
        return BigDecimal.valueOf(value.doubleValue()).setScale(1, RoundingMode.HALF_UP).toPlainString() + " km";
    }

    /** 0.93 as 93 %. */
    static String percent(Number value) {
        return BigDecimal.valueOf(value.doubleValue() * 100).setScale(0, RoundingMode.HALF_UP).toPlainString() + " %";
    }

    /** A money JSON object ({amount, currency}) as "0.012 EUR"; money stays the market's decimal string. */
    static String money(Map<String, Object> money) {
        return money == null ? "" : money.get("amount") + " " + money.get("currency");
    }

    /** An ISO instant as a short UTC time. */
    static String when(String instant) {
        try {
            return WHEN.format(Instant.parse(instant));
        } catch (RuntimeException notAnInstant) {
            return instant;
        }
    }

    /** Bytes in MB, one decimal. */
    static String mb(Number bytes) {
        return BigDecimal.valueOf(bytes.longValue()).divide(BigDecimal.valueOf(1_000_000), 1, RoundingMode.HALF_UP)
                .toPlainString() + " MB";
    }

    /** Nanoseconds of CPU time in seconds, one decimal. */
    static String cpuSeconds(Number nanos) {
        return BigDecimal.valueOf(nanos.longValue()).divide(BigDecimal.valueOf(1_000_000_000L), 1, RoundingMode.HALF_UP)
                .toPlainString() + " s";
    }
}
