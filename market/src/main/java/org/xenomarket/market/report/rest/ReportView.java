package org.xenomarket.market.report.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xenomarket.market.report.ReportTable;

/** A report as JSON: its name, its columns, and one object per row keyed by column. */
public record ReportView(String report, List<String> columns, List<Map<String, Object>> rows) {

    static ReportView of(ReportTable table) {
        return new ReportView(table.name(), table.columns(), table.rows().stream().map(row -> {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < table.columns().size(); i++) {
                object.put(table.columns().get(i), row.get(i));
            }
            return object;
        }).toList());
    }
}
