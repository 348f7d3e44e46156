package org.xenomarket.market.billing.repository;

import static org.xenomarket.market.database.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.billing.BillingPeriod;
import org.xenomarket.market.billing.Invoice;
import org.xenomarket.market.billing.InvoiceKind;
import org.xenomarket.market.billing.InvoiceLine;
import org.xenomarket.market.billing.LineKind;
import org.xenomarket.market.billing.LineTrace;

/** Issued invoices, credit notes and their lines, and what lies behind a line. */
@ApplicationScoped
public class InvoiceRepository {

    private static final String INVOICE_COLUMNS = """
            id, kind, run_id, corrects_id, sponsor_id, period_start, period_end, currency, total_minor, issued_at
            """;

    private static final String PAGE = "SELECT " + INVOICE_COLUMNS + """
             FROM invoice WHERE ($1::uuid IS NULL OR sponsor_id = $1) AND ($2::uuid IS NULL OR id > $2)
            ORDER BY id LIMIT $3
            """;

    private static final String ONE = "SELECT " + INVOICE_COLUMNS + " FROM invoice WHERE id = $1";

    private static final String LINES = """
            SELECT * FROM invoice_line WHERE invoice_id = $1 ORDER BY line_no
            """;

    private static final String LINE = "SELECT * FROM invoice_line WHERE invoice_id = $1 AND line_no = $2";

    private static final String LOCK_LINE = LINE + " FOR UPDATE";

    private static final String CREDITED = """
            SELECT coalesce(sum(amount_minor), 0) AS credited FROM invoice_line
            WHERE corrects_invoice_id = $1 AND corrects_line_no = $2 AND kind = 'CREDIT'
            """;

    private static final String INSERT_CREDIT_NOTE = """
            INSERT INTO invoice (id, kind, corrects_id, sponsor_id, period_start, period_end, currency, total_minor, issued_at)
            VALUES ($1, 'CREDIT_NOTE', $2, $3, $4, $5, $6, $7, $8)
            """;

    private static final String INSERT_CREDIT_LINE = """
            INSERT INTO invoice_line (invoice_id, line_no, kind, lease_id, provider_id, quote_id, policy_version,
                charged_from, charged_to, quantity, quantity_per_unit, unit_price, amount_minor, currency,
                corrects_invoice_id, corrects_line_no, reason)
            SELECT $1, 1, 'CREDIT', lease_id, provider_id, quote_id, policy_version, charged_from, charged_to, 0, 1, 0,
                   $2, currency, invoice_id, line_no, $3
            FROM invoice_line WHERE invoice_id = $4 AND line_no = $5
            """;

    private static final String LEASE = """
            SELECT id, sponsor_id, provider_id, server_id, service_class, vcpus, memory_mib, disk_gib, start_at, end_at,
                   failed_at, preempted_at, state, currency, unit_vcpu_hour, unit_memory_gib_hour, unit_disk_gib_hour,
                   unit_egress_gb, policy_version
            FROM lease WHERE id = $1
            """;

    private static final String QUOTE = """
            SELECT id, policy_version, currency, unit_vcpu_hour, unit_memory_gib_hour, unit_disk_gib_hour, unit_egress_gb,
                   created_at
            FROM quote WHERE id = $1
            """;

    private static final String ROLLUPS = """
            SELECT lease_id, hour, net_tx_bytes, net_rx_bytes, disk_read_bytes, disk_write_bytes, cpu_nanos, records
            FROM usage_hourly WHERE lease_id = $1 AND hour >= $2 AND hour < $3
              AND ($4::uuid IS NULL OR server_id = (SELECT server_id FROM quote WHERE id = $4))
            ORDER BY hour
            """;

    private static final String RECORDS = """
            SELECT node_id, sequence, t0, t1, net_tx_bytes, disk_read_bytes, disk_write_bytes, cpu_nanos, signature,
                   batch_id
            FROM usage_record WHERE lease_id = $1 AND t1 > $2 AND t0 < $3
              AND ($4::uuid IS NULL OR node_id IN (SELECT n.id FROM node n JOIN quote q ON q.server_id = n.server_id
                                                   WHERE q.id = $4))
            ORDER BY t0
            """;

    private static final String EGRESS_LINES = """
            SELECT l.invoice_id, l.line_no, l.kind, l.quantity, i.issued_at
            FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
            WHERE l.lease_id = $1 AND l.kind IN ('EGRESS', 'LATE_EGRESS') AND l.charged_from = $2 AND l.charged_to = $3
            ORDER BY i.issued_at, l.invoice_id, l.line_no
            """;

    private final Pool pool;

    public InvoiceRepository(Pool pool) {
        this.pool = pool;
    }

    /** A page of invoices and credit notes, oldest first; of one sponsor, or of all when {@code sponsorId} is null. */
    public Uni<List<Invoice>> page(UUID sponsorId, UUID after, int limit) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(sponsorId, after, limit)).map(rows -> {
            List<Invoice> page = new ArrayList<>();
            rows.forEach(row -> page.add(invoiceOf(row)));
            return page;
        });
    }

    /** The invoice or credit note; null if there is none. */
    public Uni<Invoice> find(SqlClient client, UUID id) {
        return client.preparedQuery(ONE).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : invoiceOf(rows.iterator().next()));
    }

    public Uni<Invoice> find(UUID id) {
        return find(pool, id);
    }

    public Uni<List<InvoiceLine>> lines(UUID invoiceId) {
        return pool.preparedQuery(LINES).execute(Tuple.of(invoiceId)).map(rows -> {
            List<InvoiceLine> lines = new ArrayList<>();
            rows.forEach(row -> lines.add(lineOf(row)));
            return lines;
        });
    }

    public Uni<InvoiceLine> line(UUID invoiceId, int lineNo) {
        return pool.preparedQuery(LINE).execute(Tuple.of(invoiceId, lineNo))
                .map(rows -> rows.size() == 0 ? null : lineOf(rows.iterator().next()));
    }

    /** The line, locked until the transaction ends, so credits against it are taken one at a time; null if none. */
    public Uni<InvoiceLine> lockLine(SqlConnection tx, UUID invoiceId, int lineNo) {
        return tx.preparedQuery(LOCK_LINE).execute(Tuple.of(invoiceId, lineNo))
                .map(rows -> rows.size() == 0 ? null : lineOf(rows.iterator().next()));
    }

    /** The sum of the credits against the line so far (zero or negative). */
    public Uni<Long> credited(SqlConnection tx, UUID invoiceId, int lineNo) {
        return tx.preparedQuery(CREDITED).execute(Tuple.of(invoiceId, lineNo))
                .map(rows -> rows.iterator().next().getNumeric("credited").longValue());
    }

    /** Issues a credit note of one line crediting {@code amountMinor} (negative) against the line. */
    public Uni<Void> insertCreditNote(SqlConnection tx, UUID creditNoteId, Invoice corrected, InvoiceLine line,
                                      long amountMinor, String reason, Instant at) {
        return tx.preparedQuery(INSERT_CREDIT_NOTE).execute(Tuple.tuple().addValue(creditNoteId)
                        .addValue(corrected.id()).addValue(corrected.sponsorId())
                        .addValue(utc(corrected.period().start()))
                        .addValue(utc(corrected.period().end())).addValue(corrected.currency())
                        .addValue(amountMinor).addValue(utc(at)))
                .chain(() -> tx.preparedQuery(INSERT_CREDIT_LINE).execute(Tuple.of(creditNoteId, amountMinor, reason,
                        line.invoiceId(), line.lineNo())))
                .replaceWithVoid();
    }

    public Uni<LineTrace.LeaseTerms> lease(UUID leaseId) {
        return pool.preparedQuery(LEASE).execute(Tuple.of(leaseId)).map(rows -> {
            Row r = rows.iterator().next();
            return new LineTrace.LeaseTerms(r.getUUID("id"), r.getUUID("sponsor_id"), r.getUUID("provider_id"),
                    r.getUUID("server_id"), r.getString("service_class"), r.getInteger("vcpus"), r.getLong("memory_mib"),
                    r.getLong("disk_gib"), instant(r, "start_at"), instant(r, "end_at"), instant(r, "failed_at"),
                    instant(r, "preempted_at"), r.getString("state"), r.getString("currency"),
                    r.getBigDecimal("unit_vcpu_hour"), r.getBigDecimal("unit_memory_gib_hour"),
                    r.getBigDecimal("unit_disk_gib_hour"), r.getBigDecimal("unit_egress_gb"),
                    r.getString("policy_version"));
        });
    }

    public Uni<LineTrace.QuoteTerms> quote(UUID quoteId) {
        return pool.preparedQuery(QUOTE).execute(Tuple.of(quoteId)).map(rows -> {
            Row r = rows.iterator().next();
            return new LineTrace.QuoteTerms(r.getUUID("id"), r.getString("policy_version"), r.getString("currency"),
                    r.getBigDecimal("unit_vcpu_hour"), r.getBigDecimal("unit_memory_gib_hour"),
                    r.getBigDecimal("unit_disk_gib_hour"), r.getBigDecimal("unit_egress_gb"), instant(r, "created_at"));
        });
    }

    /**
     * The lease's hourly rollups in {@code [from, to)}, only those reported from the server of quote
     * {@code onServerOf} unless it is null.
     */
    public Uni<List<LineTrace.Rollup>> rollups(UUID leaseId, Instant from, Instant to, UUID onServerOf) {
        return pool.preparedQuery(ROLLUPS).execute(Tuple.of(leaseId, utc(from),
                utc(to), onServerOf)).map(rows -> {
                    List<LineTrace.Rollup> rollups = new ArrayList<>();
                    rows.forEach(r -> rollups.add(new LineTrace.Rollup(r.getUUID("lease_id"), instant(r, "hour"),
                            r.getLong("net_tx_bytes"), r.getLong("net_rx_bytes"), r.getLong("disk_read_bytes"),
                            r.getLong("disk_write_bytes"), r.getLong("cpu_nanos"), r.getInteger("records"))));
                    return rollups;
                });
    }

    /**
     * The lease's signed usage records that touch {@code [from, to)}, only those of the node of the server
     * of quote {@code onServerOf} unless it is null.
     */
    public Uni<List<LineTrace.Record>> records(UUID leaseId, Instant from, Instant to, UUID onServerOf) {
        return pool.preparedQuery(RECORDS).execute(Tuple.of(leaseId, utc(from),
                utc(to), onServerOf)).map(rows -> {
                    List<LineTrace.Record> records = new ArrayList<>();
                    rows.forEach(r -> records.add(new LineTrace.Record(r.getUUID("node_id"), r.getLong("sequence"),
                            instant(r, "t0"), instant(r, "t1"), r.getLong("net_tx_bytes"), r.getLong("disk_read_bytes"),
                            r.getLong("disk_write_bytes"), r.getLong("cpu_nanos"),
                            r.getBuffer("signature") == null ? null
                                    : Base64.getEncoder().encodeToString(r.getBuffer("signature").getBytes()),
                            r.getUUID("batch_id"))));
                    return records;
                });
    }

    /** The egress lines (EGRESS, LATE_EGRESS) of the lease whose charged window is exactly {@code [from, to)}. */
    public Uni<List<LineTrace.BilledEgress>> egressLines(UUID leaseId, Instant from, Instant to) {
        return pool.preparedQuery(EGRESS_LINES).execute(Tuple.of(leaseId, utc(from),
                utc(to))).map(rows -> {
                    List<LineTrace.BilledEgress> lines = new ArrayList<>();
                    rows.forEach(r -> lines.add(new LineTrace.BilledEgress(r.getUUID("invoice_id"),
                            r.getInteger("line_no"), LineKind.valueOf(r.getString("kind")), r.getBigDecimal("quantity"),
                            instant(r, "issued_at"))));
                    return lines;
                });
    }

    private static Invoice invoiceOf(Row r) {
        return new Invoice(r.getUUID("id"), InvoiceKind.valueOf(r.getString("kind")), r.getUUID("run_id"),
                r.getUUID("corrects_id"), r.getUUID("sponsor_id"),
                new BillingPeriod(instant(r, "period_start"), instant(r, "period_end")), r.getString("currency"),
                r.getLong("total_minor"), instant(r, "issued_at"));
    }

    private static InvoiceLine lineOf(Row r) {
        return new InvoiceLine(r.getUUID("invoice_id"), r.getInteger("line_no"), LineKind.valueOf(r.getString("kind")),
                r.getUUID("lease_id"), r.getUUID("provider_id"), r.getUUID("quote_id"), r.getString("policy_version"),
                instant(r, "charged_from"), instant(r, "charged_to"), r.getBigDecimal("quantity"),
                r.getLong("quantity_per_unit"), r.getBigDecimal("unit_price"), r.getLong("amount_minor"),
                r.getString("currency"), r.getInteger("rollups"), r.getUUID("corrects_invoice_id"),
                r.getInteger("corrects_line_no"), r.getString("reason"), reservationOf(r));
    }

    /** The reservation a RESERVED line carries; null on other lines. */
    private static InvoiceLine.Reservation reservationOf(Row r) {
        Integer vcpus = r.getInteger("vcpus");
        return vcpus == null ? null : new InvoiceLine.Reservation(vcpus, r.getLong("memory_mib"),
                r.getLong("disk_gib"), r.getBigDecimal("unit_vcpu_hour"), r.getBigDecimal("unit_memory_gib_hour"),
                r.getBigDecimal("unit_disk_gib_hour"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
