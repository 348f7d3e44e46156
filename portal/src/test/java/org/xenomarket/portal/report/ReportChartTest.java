package org.xenomarket.portal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xenomarket.portal.chart.Chart;

class ReportChartTest {

    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    @Test
    void revenueBarsReadInTheCurrencysAmountNotInMinorUnits() {
        Map<String, Object> table = Map.of("report", "revenue-by-sponsor",
                "columns", List.of("key", "currency", "billed_minor", "lines"),
                "rows", List.of(row("key", "0190a1b2-0000-7000-8000-000000000001", "currency", "EUR", "billed_minor", 123456, "lines", 3),
                        row("key", "globex", "currency", "EUR", "billed_minor", 5, "lines", 1)));
        String json = ReportChart.of("revenue", table).json();
        assertTrue(json.contains("\"kind\":\"bars\""), json);
        assertTrue(json.contains("\"x\":[\"…000000000001\",\"globex\"]"), "UUIDs shortened on the axis: " + json);
        assertTrue(json.contains("\"title\":\"revenue by sponsor (EUR)\""), json);
        assertTrue(json.contains("\"label\":\"billed\",\"values\":[1234.56,0.05]"), json);
        assertTrue(!json.contains("lines\",\"values"), "a count is not money: " + json);
    }

    @Test
    void utilisationIsTheReservedShareOfCapacityPerRegionOverTime() {
        Map<String, Object> table = Map.of("report", "utilisation",
                "columns", List.of("region_code", "hour", "capacity_vcpus", "reserved_vcpus"),
                "rows", List.of(row("region_code", "eu-west", "hour", "2026-12-01T00:00:00Z", "capacity_vcpus", 8, "reserved_vcpus", 2),
                        row("region_code", "eu-west", "hour", "2026-12-01T01:00:00Z", "capacity_vcpus", 8, "reserved_vcpus", 0),
                        row("region_code", "us-east", "hour", "2026-12-01T00:00:00Z", "capacity_vcpus", 0, "reserved_vcpus", 0)));
        Chart chart = ReportChart.of("utilisation", table);
        String json = chart.json();
        assertTrue(json.contains("\"kind\":\"time\""), json);
        assertTrue(json.contains("\"x\":[1796083200,1796086800]"), json);
        assertTrue(json.contains("\"label\":\"eu-west reserved vCPU %\",\"values\":[25.0,0.0]"), json);
        // No capacity is no share, not a division by zero; an hour a region has no row for is a gap.
        assertTrue(json.contains("\"label\":\"us-east reserved vCPU %\",\"values\":[null,null]"), json);
        assertEquals(false, chart.empty());
    }
}
