package org.xenomarket.market.report.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.report.PaymentProviderTotals;
import org.xenomarket.market.report.ReportTable;
import org.xenomarket.market.report.repository.ReportRepository;

/** Finance's reports: revenue, utilisation, receivables ageing, payouts, and the reconciliation. */
@ApplicationScoped
public class FinanceReports {

    private static final Duration MAX_UTILISATION_WINDOW = Duration.ofDays(93);

    private final ReportRepository reports;
    private final Instance<PaymentProviderTotals> provider;

    public FinanceReports(ReportRepository reports, Instance<PaymentProviderTotals> provider) {
        this.reports = reports;
        this.provider = provider;
    }

    public Uni<ReportTable> revenue(String by, String fromText, String toText) {
        Instant from = instant("from", fromText);
        Instant to = instant("to", toText);
        ReportRepository.RevenueBy grouping;
        try {
            grouping = ReportRepository.RevenueBy.valueOf(String.valueOf(by).toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("by", "must be one of region, provider, sponsor, period");
        }
        window(from, to, null);
        return reports.revenue(grouping, from, to);
    }

    public Uni<ReportTable> utilisation(String fromText, String toText) {
        Instant from = instant("from", fromText);
        Instant to = instant("to", toText);
        window(from, to, MAX_UTILISATION_WINDOW);
        return reports.utilisation(from, to);
    }

    public Uni<ReportTable> receivablesAgeing(String atText) {
        return reports.receivablesAgeing(Objects.requireNonNullElseGet(instant("at", atText), Instant::now));
    }

    /** Payouts due and made: of one provider, or of all when {@code providerId} is null. */
    public Uni<ReportTable> payouts(UUID providerId) {
        return reports.payouts(providerId);
    }

    /**
     * Invoices = ledger = payment provider: one row per invoice, with a {@code difference} column
     * naming what disagrees. The provider's column is empty ({@code null}) until a
     * {@link PaymentProviderTotals} is deployed.
     */
    public Uni<ReportTable> reconciliation(String fromText, String toText) {
        Instant from = instant("from", fromText);
        Instant to = instant("to", toText);
        window(from, to, null);
        return reports.reconciliation(from, to).chain(table -> providerTotals(table).map(collected -> {
            List<String> columns = new ArrayList<>(table.columns());
            columns.add("provider_collected_minor");
            columns.add("difference");
            int invoiced = table.columns().indexOf("invoiced_minor");
            int ledger = table.columns().indexOf("ledger_minor");
            int ledgerCollected = table.columns().indexOf("ledger_collected_minor");
            List<List<Object>> rows = new ArrayList<>();
            for (List<Object> row : table.rows()) {
                List<Object> out = new ArrayList<>(row);
                Long providerSays = collected == null ? null : collected.getOrDefault(UUID.fromString((String) row.get(0)), 0L);
                out.add(providerSays);
                List<String> differences = new ArrayList<>();
                if (!row.get(invoiced).equals(row.get(ledger))) {
                    differences.add("invoice total differs from the ledger's receivable");
                }
                if (providerSays != null && !providerSays.equals(row.get(ledgerCollected))) {
                    differences.add("ledger's collected differs from the payment provider's");
                }
                out.add(String.join("; ", differences));
                rows.add(out);
            }
            return new ReportTable(table.name(), columns, rows);
        }));
    }

    private Uni<Map<UUID, Long>> providerTotals(ReportTable table) {
        if (!provider.isResolvable()) {
            return Uni.createFrom().nullItem();
        }
        List<UUID> ids = table.rows().stream().map(r -> UUID.fromString((String) r.get(0))).toList();
        return provider.get().collectedPerInvoice(ids);
    }

    private static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInput(field, "must be an instant such as 2026-11-01T00:00:00Z");
        }
    }

    private static void window(Instant from, Instant to, Duration max) {
        if (from == null) {
            throw new InvalidInput("from", "is required, e.g. 2026-11-01T00:00:00Z");
        }
        if (to == null) {
            throw new InvalidInput("to", "is required, e.g. 2026-12-01T00:00:00Z");
        }
        if (!to.isAfter(from)) {
            throw new InvalidInput("to", "must be after from");
        }
        if (max != null && Duration.between(from, to).compareTo(max) > 0) {
            throw new InvalidInput("to", "the window may span at most " + max.toDays() + " days");
        }
    }
}
