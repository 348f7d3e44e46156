package org.xenomarket.market.report.repository;

import static org.xenomarket.market.database.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import org.xenomarket.market.report.ReportTable;

/** The finance reports' queries, each one set-based statement over invoices, the ledger and usage. */
@ApplicationScoped
public class ReportRepository {

    /** How revenue may be grouped; each names the SQL expression it groups by. */
    public enum RevenueBy {
        REGION("s.region_code"), PROVIDER("l.provider_id::text"), SPONSOR("i.sponsor_id::text"),
        PERIOD("to_char(i.period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') || '/' "
                + "|| to_char(i.period_end AT TIME ZONE 'UTC', 'YYYY-MM-DD')");

        private final String expression;

        RevenueBy(String expression) {
            this.expression = expression;
        }
    }

    private static final String REVENUE = """
            SELECT %s AS key, l.currency, sum(l.amount_minor) AS billed_minor, count(*) AS lines
            FROM invoice_line l
            JOIN invoice i ON i.id = l.invoice_id
            JOIN lease le ON le.id = l.lease_id
            JOIN server sv ON sv.id = le.server_id
            JOIN site s ON s.id = sv.site_id
            WHERE i.period_start < $2 AND i.period_end > $1
            GROUP BY 1, 2 ORDER BY 1, 2
            """;

    private static final String UTILISATION = """
            WITH hours AS (
                SELECT generate_series($1::timestamptz, $2::timestamptz - interval '1 hour', interval '1 hour') AS hour
            ), capacity AS (
                SELECT s.region_code, h.hour, sum(sv.vcpus) AS vcpus, sum(sv.memory_mib) AS memory_mib
                FROM hours h CROSS JOIN server sv JOIN site s ON s.id = sv.site_id
                WHERE sv.created_at < h.hour + interval '1 hour'
                GROUP BY 1, 2
            ), reserved AS (
                SELECT s.region_code, c.bucket_start AS hour, sum(c.reserved_vcpus) AS vcpus,
                       sum(c.reserved_memory_mib) AS memory_mib
                FROM capacity_slot c JOIN server sv ON sv.id = c.server_id JOIN site s ON s.id = sv.site_id
                WHERE c.bucket_start >= $1 AND c.bucket_start < $2 GROUP BY 1, 2
            ), used AS (
                SELECT s.region_code, u.hour, sum(u.cpu_nanos) AS cpu_nanos, sum(u.memory_mib_seconds) AS memory_mib_seconds,
                       sum(u.net_tx_bytes) AS net_tx_bytes
                FROM usage_hourly u JOIN server sv ON sv.id = u.server_id JOIN site s ON s.id = sv.site_id
                WHERE u.hour >= $1 AND u.hour < $2 GROUP BY 1, 2
            )
            SELECT c.region_code, c.hour, c.vcpus AS capacity_vcpus, c.memory_mib AS capacity_memory_mib,
                   coalesce(r.vcpus, 0) AS reserved_vcpus, coalesce(r.memory_mib, 0) AS reserved_memory_mib,
                   coalesce(u.cpu_nanos, 0) AS used_cpu_nanos, coalesce(u.memory_mib_seconds, 0) AS used_memory_mib_seconds,
                   coalesce(u.net_tx_bytes, 0) AS used_net_tx_bytes
            FROM capacity c
            LEFT JOIN reserved r ON r.region_code = c.region_code AND r.hour = c.hour
            LEFT JOIN used u ON u.region_code = c.region_code AND u.hour = c.hour
            ORDER BY 1, 2
            """;

    /* Outstanding per invoice: its total, its credit notes, and what the ledger says was paid and refunded. */
    private static final String OUTSTANDING = """
            WITH settled AS (
                SELECT je.invoice_id,
                       sum(CASE WHEN je.kind IN ('PAYMENT', 'DISPUTE_LOST') THEN jl.amount_minor ELSE 0 END) AS paid,
                       sum(CASE WHEN je.kind IN ('REFUND', 'REFUND_FAILED') THEN -jl.amount_minor ELSE 0 END) AS refunded
                FROM journal_entry je JOIN journal_line jl ON jl.entry_id = je.id AND jl.account = 'PROVIDER_CASH'
                WHERE je.kind IN ('PAYMENT', 'REFUND', 'REFUND_FAILED', 'DISPUTE_LOST') GROUP BY je.invoice_id
            ), credited AS (
                SELECT corrects_id AS invoice_id, sum(total_minor) AS credited FROM invoice
                WHERE kind = 'CREDIT_NOTE' GROUP BY corrects_id
            )
            SELECT i.id, i.sponsor_id, i.currency, i.issued_at, i.total_minor, coalesce(c.credited, 0) AS credited,
                   coalesce(s.paid, 0) AS paid, coalesce(s.refunded, 0) AS refunded,
                   i.total_minor + coalesce(c.credited, 0) - coalesce(s.paid, 0) + coalesce(s.refunded, 0) AS outstanding
            FROM invoice i LEFT JOIN settled s ON s.invoice_id = i.id LEFT JOIN credited c ON c.invoice_id = i.id
            WHERE i.kind = 'INVOICE'
            """;

    private static final String AGEING = """
            SELECT sponsor_id::text, currency,
                   sum(outstanding) FILTER (WHERE $1::timestamptz - issued_at <= interval '30 days') AS days_0_30,
                   sum(outstanding) FILTER (WHERE $1::timestamptz - issued_at > interval '30 days'
                                            AND $1::timestamptz - issued_at <= interval '60 days') AS days_31_60,
                   sum(outstanding) FILTER (WHERE $1::timestamptz - issued_at > interval '60 days'
                                            AND $1::timestamptz - issued_at <= interval '90 days') AS days_61_90,
                   sum(outstanding) FILTER (WHERE $1::timestamptz - issued_at > interval '90 days') AS over_90,
                   sum(outstanding) AS total
            FROM (%s) o WHERE outstanding <> 0 GROUP BY 1, 2 ORDER BY 1, 2
            """.formatted(OUTSTANDING);

    private static final String PAYOUTS = """
            SELECT jl.party_id::text AS provider_id, jl.currency,
                   -sum(jl.amount_minor) FILTER (WHERE je.kind IN ('INVOICE', 'CREDIT_NOTE')) AS earned_minor,
                   sum(jl.amount_minor) FILTER (WHERE je.kind = 'PAYOUT') AS paid_out_minor,
                   -sum(jl.amount_minor) AS due_minor
            FROM journal_line jl JOIN journal_entry je ON je.id = jl.entry_id
            WHERE jl.account = 'PROVIDER_PAYABLE' AND ($1::uuid IS NULL OR jl.party_id = $1)
            GROUP BY 1, 2 ORDER BY 1, 2
            """;

    /* Invoices against the ledger: the invoice's own total with its credits, and what the ledger posted. */
    private static final String RECONCILIATION = """
            WITH posted AS (
                SELECT coalesce(i.corrects_id, i.id) AS invoice_id, sum(jl.amount_minor) AS receivable_posted
                FROM journal_entry je JOIN journal_line jl ON jl.entry_id = je.id AND jl.account = 'SPONSOR_RECEIVABLE'
                JOIN invoice i ON i.id = je.invoice_id
                WHERE je.kind IN ('INVOICE', 'CREDIT_NOTE') GROUP BY 1
            )
            SELECT o.id::text AS invoice_id, o.sponsor_id::text, o.currency, o.total_minor + o.credited AS invoiced_minor,
                   coalesce(p.receivable_posted, 0) AS ledger_minor, o.paid - o.refunded AS ledger_collected_minor
            FROM (%s) o LEFT JOIN posted p ON p.invoice_id = o.id
            WHERE o.issued_at >= $1 AND o.issued_at < $2
            ORDER BY o.issued_at, o.id
            """.formatted(OUTSTANDING);

    private final Pool pool;

    public ReportRepository(Pool pool) {
        this.pool = pool;
    }

    /** Billed amounts (invoices and credit notes) of the periods overlapping {@code [from, to)}, grouped. */
    public Uni<ReportTable> revenue(RevenueBy by, Instant from, Instant to) {
        return table("revenue-by-" + by.name().toLowerCase(), REVENUE.formatted(by.expression),
                Tuple.of(utc(from), utc(to)));
    }

    /** Per region and hour: the servers' capacity, what slots reserved, what usage rollups measured. */
    public Uni<ReportTable> utilisation(Instant from, Instant to) {
        return table("utilisation", UTILISATION, Tuple.of(utc(from), utc(to)));
    }

    /** Outstanding per sponsor and currency, by days since issue at {@code at}. */
    public Uni<ReportTable> receivablesAgeing(Instant at) {
        return table("receivables-ageing", AGEING, Tuple.of(utc(at)));
    }

    /** Per provider: earned net of the fee, paid out, and due; of one provider, or all when null. */
    public Uni<ReportTable> payouts(java.util.UUID providerId) {
        return table("payouts", PAYOUTS, Tuple.of(providerId));
    }

    /** Per invoice issued in {@code [from, to)}: invoiced (with credits) beside the ledger's receivable and collected. */
    public Uni<ReportTable> reconciliation(Instant from, Instant to) {
        return table("reconciliation", RECONCILIATION, Tuple.of(utc(from), utc(to)));
    }

    private Uni<ReportTable> table(String name, String query, Tuple parameters) {
        return pool.preparedQuery(query).execute(parameters).map(rows -> {
            List<String> columns = rows.columnsNames();
            List<List<Object>> values = new ArrayList<>();
            for (Row row : rows) {
                List<Object> value = new ArrayList<>(columns.size());
                for (int i = 0; i < columns.size(); i++) {
                    Object v = row.getValue(i);
                    value.add(v instanceof Temporal t ? row.getOffsetDateTime(i).toInstant()
                            : v instanceof Number n ? n.longValue() : v);
                }
                values.add(value);
            }
            return new ReportTable(name, columns, values);
        });
    }
}
