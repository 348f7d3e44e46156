package org.xenomarket.portal.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.xenomarket.portal.chart.Chart;

/**
 * The chart of a report's table: utilisation as reserved share of capacity per region over time;
 * every other report as bars of its money columns per row (minor units turned into the currency's
 * amount, so the bars read in euros, not cents).
 */
final class ReportChart {

    private ReportChart() {
    }

    @SuppressWarnings("unchecked")
    static Chart of(String name, Map<String, Object> table) {
        List<String> columns = (List<String>) table.get("columns");
        List<Map<String, Object>> rows = (List<Map<String, Object>>) table.get("rows");
        if (columns == null || rows == null || columns.isEmpty()) {
            return null;
        }
        String title = String.valueOf(table.getOrDefault("report", name));
        return "utilisation".equals(name) ? utilisation(rows) : money(title, columns, rows);
    }

    /** Reserved vCPUs as a share of capacity, per region, hour by hour. */
    private static Chart utilisation(List<Map<String, Object>> rows) {
        TreeSet<Long> hours = new TreeSet<>();
        Map<String, Map<Long, Number>> byRegion = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            long hour = epochSeconds(row.get("hour"));
            hours.add(hour);
            BigDecimal capacity = decimal(row.get("capacity_vcpus"));
            BigDecimal reserved = decimal(row.get("reserved_vcpus"));
            Number share = capacity == null || capacity.signum() == 0 || reserved == null ? null
                    : reserved.multiply(BigDecimal.valueOf(100)).divide(capacity, 1, java.math.RoundingMode.HALF_UP);
            byRegion.computeIfAbsent(String.valueOf(row.get("region_code")), r -> new LinkedHashMap<>()).put(hour, share);
        }
        List<Chart.Series> series = new ArrayList<>();
        byRegion.forEach((region, values) -> series.add(new Chart.Series(region + " reserved vCPU %",
                hours.stream().map(values::get).toList())));
        return Chart.lines("Reserved share of vCPU capacity by region, per hour (%)", new ArrayList<>(hours), series);
    }

    private static Chart money(String name, List<String> columns, List<Map<String, Object>> rows) {
        String label = columns.get(0);
        List<String> moneyColumns = columns.stream().filter(c -> c.endsWith("_minor") || c.startsWith("days_")
                || c.equals("over_90")).toList();
        if (moneyColumns.isEmpty() || rows.isEmpty()) {
            return Chart.bars(name, List.of(), List.of());
        }
        List<String> categories = rows.stream().map(r -> shortLabel(r.get(label))).toList();
        List<Chart.Series> series = new ArrayList<>();
        String currency = String.valueOf(rows.get(0).getOrDefault("currency", ""));
        for (String column : moneyColumns) {
            series.add(new Chart.Series(column.replace("_minor", "").replace('_', ' '),
                    rows.stream().map(r -> (Number) major(r.get(column), r.get("currency"))).toList()));
        }
        return Chart.bars(name.replace('-', ' ') + " (" + currency + ")", categories, series);
    }

    private static BigDecimal major(Object minor, Object currency) {
        BigDecimal value = decimal(minor);
        if (value == null) {
            return null;
        }
        try {
            return value.movePointLeft(Currency.getInstance(String.valueOf(currency)).getDefaultFractionDigits());
        } catch (IllegalArgumentException noCurrency) {
            return value;
        }
    }

    private static String shortLabel(Object value) {
        String text = String.valueOf(value);
        // UUIDs are long; the market's are time-ordered, so their first digits are alike and their last
        // twelve (random) tell rows apart on an axis. The table beside the chart has them whole.
        return text.matches("[0-9a-f]{8}-[0-9a-f-]{27}") ? "…" + text.substring(24) : text;
    }

    private static BigDecimal decimal(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(String.valueOf(value));
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static long epochSeconds(Object value) {
        String text = String.valueOf(value);
        try {
            return Instant.parse(text).getEpochSecond();
        } catch (RuntimeException notAnInstant) {
            return OffsetDateTime.parse(text).toEpochSecond();
        }
    }
}
