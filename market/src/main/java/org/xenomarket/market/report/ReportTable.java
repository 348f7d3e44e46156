package org.xenomarket.market.report;

import java.util.List;

/** A finance report: named columns and rows of plain values (text, whole numbers, instants), for JSON or CSV. */
public record ReportTable(String name, List<String> columns, List<List<Object>> rows) {
}
