package org.xenomarket.market.billing.repository;

import static org.xenomarket.market.database.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.xenomarket.market.billing.BillingPeriod;
import org.xenomarket.market.billing.InvoiceRun;
import org.xenomarket.market.money.MinorUnits;

/**
 * The invoice run in a few set-based statements: the period's egress is summed per lease by one
 * {@code GROUP BY} over the running daily totals (and the rollups of days the period cuts), late
 * usage of periods invoiced before is found, then every lease's charges are rated, grouped into one
 * invoice per sponsor and currency, and numbered into lines by one {@code INSERT ... SELECT ... GROUP
 * BY}, so a month of a million hourly rollups costs one pass over their ~30 daily totals per lease,
 * never a row at a time in Java.
 */
@ApplicationScoped
public class InvoiceRunRepository {

    private static final String OVERLAPPING = """
            SELECT id, period_start, period_end FROM invoice_run
            WHERE tstzrange(period_start, period_end) && tstzrange($1, $2) ORDER BY period_start LIMIT 1
            """;

    private static final String INSERT_RUN = """
            INSERT INTO invoice_run (id, period_start, period_end, started_by, started_at) VALUES ($1, $2, $3, $4, $5)
            """;

    /*
     * Reserved resources: one RESERVED line per lease, the seconds of its window within the period,
     * cut at its failure (its end already moved to the notice's end when it was pre-empted), at the
     * reservation's hourly price (vCPUs, memory and disk at their unit prices, exact: 1/1024 is
     * 0.0009765625). One line, not one per resource, halves the lines a run inserts (and their
     * foreign-key checks), and rounds the reservation once. Egress: the period's hourly rollups of
     * the lease, summed. Every amount is rounded once, by minor_units, with the currency's digits that
     * Java's Currency gives ($5, $6).
     *
     * A lease that moved between servers (issue 16 item 3) ran under one booking per server: its lines
     * are one per server it ran on in the period, each at the quote of that booking (prices, currency,
     * policy version) and for that server's provider. Up to each done move it was on the move's old
     * server at the move's from-quote, since the previous move (or its start); from its last move on,
     * on its server now at its own terms. Its reserved time is cut at the instants the moves were done.
     * Its egress is billed per server from the rollups each server's node reported (a row per lease, hour
     * and server, V90): each rollup goes to the stay on its own server nearest its hour (the hour of a move
     * belongs to both stays' windows; a record taken within the clock skew just past a stay's end lies
     * outside it; of two stays on one server within one hour, the earlier), and each egress line's window
     * is its stay's hours, from the hour it began to the end of the hour it ended (less an end hour whose
     * rollup on its server went to another stay there, so no rollup is in two lines' traces), widened to any rollup
     * so assigned. The line's trace lists the rollups and records of its window on its quote's server.
     */
    private static final String RATE_AND_ISSUE = """
            WITH digits AS (
                SELECT * FROM unnest($5::text[], $6::int[]) AS d(currency, digits)
            ), moved AS (
                SELECT lease_id, max(done_at) AS last_done FROM lease_move WHERE state = 'DONE' GROUP BY lease_id
            ), terms AS (
                SELECT l.id AS lease_id, l.server_id, l.provider_id, l.quote_id, l.policy_version, l.currency,
                       l.unit_vcpu_hour, l.unit_memory_gib_hour, l.unit_disk_gib_hour, l.unit_egress_gb,
                       coalesce(mv.last_done, '-infinity') AS span_from, 'infinity'::timestamptz AS span_to,
                       mv.lease_id IS NOT NULL AS moved
                FROM lease l LEFT JOIN moved mv ON mv.lease_id = l.id
                WHERE l.start_at < $3 AND l.end_at > $2
                UNION ALL
                SELECT e.* FROM (
                    SELECT m.lease_id, m.from_server_id, s.provider_id, q.id, q.policy_version, q.currency, q.unit_vcpu_hour,
                           q.unit_memory_gib_hour, q.unit_disk_gib_hour, q.unit_egress_gb,
                           coalesce(lag(m.done_at) OVER (PARTITION BY m.lease_id ORDER BY m.done_at), '-infinity'),
                           m.done_at, true
                    FROM lease_move m
                    JOIN lease l ON l.id = m.lease_id AND l.start_at < $3 AND l.end_at > $2
                    JOIN quote q ON q.id = m.from_quote_id
                    JOIN server s ON s.id = m.from_server_id
                    WHERE m.state = 'DONE'
                ) e
            ), billed AS (
                SELECT l.id AS lease_id, l.sponsor_id, t.server_id, t.provider_id, t.quote_id, t.policy_version, t.currency,
                       l.vcpus, l.memory_mib, l.disk_gib, t.unit_vcpu_hour, t.unit_memory_gib_hour, t.unit_disk_gib_hour,
                       t.unit_egress_gb, t.moved,
                       greatest(l.start_at, $2, t.span_from) AS charged_from,
                       least(l.end_at, coalesce(l.failed_at, l.end_at), $3, t.span_to) AS charged_to,
                       greatest($2, date_trunc('hour', t.span_from, 'UTC')) AS egress_from,
                       least($3, date_trunc('hour', t.span_to - interval '1 microsecond', 'UTC') + interval '1 hour')
                           AS egress_to
                FROM terms t JOIN lease l ON l.id = t.lease_id
            ), egress AS (
                SELECT e.lease_id, e.bytes, e.rollups FROM run_egress e
                WHERE NOT EXISTS (SELECT 1 FROM moved mv WHERE mv.lease_id = e.lease_id)
            ), moved_rollup AS (
                SELECT DISTINCT ON (h.lease_id, h.hour, h.server_id) b.lease_id, b.quote_id, h.server_id, h.hour,
                       h.net_tx_bytes
                FROM billed b
                JOIN usage_hourly h ON h.lease_id = b.lease_id AND h.hour >= $2 AND h.hour < $3
                WHERE b.moved
                ORDER BY h.lease_id, h.hour, h.server_id, b.server_id = h.server_id DESC,
                         greatest(b.egress_from - h.hour, h.hour + interval '1 hour' - b.egress_to, interval '0'),
                         b.egress_from
            ), moved_egress AS (
                SELECT lease_id, quote_id, sum(net_tx_bytes) AS bytes, count(*)::int AS rollups,
                       min(hour) AS first_hour, max(hour) + interval '1 hour' AS end_hour
                FROM moved_rollup GROUP BY lease_id, quote_id
            ), charge AS (
                SELECT b.lease_id, b.sponsor_id, b.provider_id, b.quote_id, b.policy_version, b.currency, 'RESERVED' AS kind,
                       b.charged_from, b.charged_to, s.seconds AS quantity, 3600 AS per_unit, p.per_hour AS unit_price,
                       0 AS rollups, minor_units(s.seconds * p.per_hour, 3600, d.digits) AS amount_minor,
                       b.vcpus, b.memory_mib, b.disk_gib, b.unit_vcpu_hour, b.unit_memory_gib_hour, b.unit_disk_gib_hour,
                       NULL::uuid AS corrects_invoice_id, NULL::integer AS corrects_line_no
                FROM billed b
                JOIN digits d ON d.currency = b.currency
                CROSS JOIN LATERAL (SELECT extract(epoch FROM b.charged_to - b.charged_from) AS seconds) s
                CROSS JOIN LATERAL (SELECT trim_scale(b.vcpus * b.unit_vcpu_hour
                    + b.memory_mib * b.unit_memory_gib_hour * 0.0009765625 + b.disk_gib * b.unit_disk_gib_hour) AS per_hour) p
                WHERE b.charged_to > b.charged_from
                UNION ALL
                SELECT e.lease_id, l.sponsor_id, l.provider_id, l.quote_id, l.policy_version, l.currency, 'EGRESS',
                       $2, $3, e.bytes, 1000000000, l.unit_egress_gb, e.rollups,
                       minor_units(e.bytes * l.unit_egress_gb, 1000000000, d.digits),
                       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
                FROM egress e
                JOIN lease l ON l.id = e.lease_id
                JOIN digits d ON d.currency = l.currency
                WHERE e.bytes > 0
                UNION ALL
                SELECT b.lease_id, b.sponsor_id, b.provider_id, b.quote_id, b.policy_version, b.currency, 'EGRESS',
                       least(w.egress_from, e.first_hour), greatest(w.egress_to, e.end_hour), e.bytes, 1000000000,
                       b.unit_egress_gb, e.rollups, minor_units(e.bytes * b.unit_egress_gb, 1000000000, d.digits),
                       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
                FROM billed b
                JOIN digits d ON d.currency = b.currency
                JOIN moved_egress e ON e.lease_id = b.lease_id AND e.quote_id = b.quote_id
                CROSS JOIN LATERAL (SELECT
                    b.egress_from + CASE WHEN EXISTS (SELECT 1 FROM moved_rollup r WHERE r.lease_id = b.lease_id
                        AND r.server_id = b.server_id AND r.hour = b.egress_from AND r.quote_id <> b.quote_id)
                        THEN interval '1 hour' ELSE interval '0' END AS egress_from,
                    b.egress_to - CASE WHEN EXISTS (SELECT 1 FROM moved_rollup r WHERE r.lease_id = b.lease_id
                        AND r.server_id = b.server_id AND r.hour = b.egress_to - interval '1 hour'
                        AND r.quote_id <> b.quote_id)
                        THEN interval '1 hour' ELSE interval '0' END AS egress_to) w
                WHERE b.moved AND e.bytes > 0
                UNION ALL
                SELECT t.lease_id, l.sponsor_id, l.provider_id, l.quote_id, l.policy_version, l.currency, 'LATE_EGRESS',
                       t.period_start, t.period_end, t.bytes, 1000000000, l.unit_egress_gb, t.rollups,
                       minor_units(t.bytes * l.unit_egress_gb, 1000000000, d.digits),
                       NULL, NULL, NULL, NULL, NULL, NULL, t.corrects_invoice_id, t.corrects_line_no
                FROM unnest($7::uuid[], $8::timestamptz[], $9::timestamptz[], $10::numeric[], $11::int[], $12::uuid[],
                            $13::int[])
                     AS t(lease_id, period_start, period_end, bytes, rollups, corrects_invoice_id, corrects_line_no)
                JOIN lease l ON l.id = t.lease_id
                JOIN digits d ON d.currency = l.currency
                WHERE t.bytes > 0
            ), issued AS (
                INSERT INTO invoice (id, kind, run_id, sponsor_id, period_start, period_end, currency, total_minor, issued_at)
                SELECT gen_random_uuid(), 'INVOICE', $1, c.sponsor_id, $2, $3, c.currency, sum(c.amount_minor), $4
                FROM charge c GROUP BY c.sponsor_id, c.currency
                RETURNING id, sponsor_id, currency
            )
            INSERT INTO invoice_line (invoice_id, line_no, kind, lease_id, provider_id, quote_id, policy_version,
                charged_from, charged_to, quantity, quantity_per_unit, unit_price, amount_minor, currency, rollups,
                vcpus, memory_mib, disk_gib, unit_vcpu_hour, unit_memory_gib_hour, unit_disk_gib_hour,
                corrects_invoice_id, corrects_line_no)
            SELECT i.id, row_number() OVER (PARTITION BY i.id ORDER BY c.lease_id, c.kind, c.charged_from), c.kind,
                   c.lease_id, c.provider_id, c.quote_id, c.policy_version, c.charged_from, c.charged_to, c.quantity,
                   c.per_unit, c.unit_price, c.amount_minor, c.currency, c.rollups, c.vcpus, c.memory_mib, c.disk_gib,
                   c.unit_vcpu_hour, c.unit_memory_gib_hour, c.unit_disk_gib_hour, c.corrects_invoice_id, c.corrects_line_no
            FROM charge c JOIN issued i ON i.sponsor_id = c.sponsor_id AND i.currency = c.currency
            """;

    /*
     * The period's egress per lease, from the running daily totals (usage_daily, kept by triggers on
     * usage_hourly as rollups are written, V71): a day wholly inside the period counts its total, a
     * day the period cuts counts its rollups within the period, found by the lease's primary key. A
     * month is then ~30 rows per lease to add instead of up to 744 rollups; the sums equal the
     * rollups' (the totals are derived in the same transactions), so every line still recomputes from
     * the rollups its trace lists. The totals stay in the database, in a table of the transaction's
     * own (no other session sees it, and it is gone at its end), rather than making a round trip
     * through the market.
     */
    private static final String EGRESS = """
            CREATE TEMP TABLE run_egress ON COMMIT DROP AS
            SELECT e.lease_id, sum(e.bytes) AS bytes, sum(e.rollups)::integer AS rollups FROM (
                SELECT d.lease_id, d.net_tx_bytes AS bytes, d.rollups FROM usage_daily d
                WHERE d.day >= $1 AND d.day <= $2::timestamptz - interval '24 hours'
                UNION ALL
                SELECT h.lease_id, h.net_tx_bytes, 1 FROM usage_daily d
                JOIN usage_hourly h ON h.lease_id = d.lease_id
                     AND h.hour >= greatest(d.day, $1) AND h.hour < least(d.day + interval '24 hours', $2)
                WHERE d.day >= date_trunc('day', $1::timestamptz, 'UTC') AND d.day < $2
                  AND (d.day < $1 OR d.day > $2::timestamptz - interval '24 hours')
            ) e
            GROUP BY e.lease_id
            """;

    /* Row counts for the rating statement's plan: a new table has no statistics. */
    private static final String EGRESS_STATISTICS = "ANALYZE run_egress";

    /*
     * Runs take turns: each one's late-usage look must see every line the runs before it issued,
     * or two runs at once could both bill the same late bytes. Plain reads of invoice_run go on.
     */
    private static final String TAKE_TURNS = "LOCK TABLE invoice_run IN SHARE ROW EXCLUSIVE MODE";

    /*
     * Late usage: for each lease and already invoiced period (any other run's) that a usage record
     * received since shortly before the previous run began touches, the period's rollups less what
     * EGRESS and LATE_EGRESS lines already billed for that lease within that period (a moved lease has an
     * egress line per server, each for its part of the period). Records received earlier
     * were seen by the previous run, on time or late (the day's margin covers an ingestion transaction
     * still open when that run began); looking at more records than needed bills nothing twice, since
     * only the difference is billed. Each late line is an adjustment pointing at the line it
     * corrects: the lease's EGRESS line on that period's invoice or, if that invoice billed the lease
     * no egress, its reserved line there (none if the lease had no line in that period at all).
     */
    private static final String LATE = """
            WITH since AS (
                SELECT coalesce(max(started_at), '-infinity'::timestamptz) - interval '1 day' AS t,
                       max(period_end) AS invoiced_until
                FROM invoice_run WHERE id <> $1
            ), touched AS (
                SELECT DISTINCT r.lease_id, run.period_start, run.period_end
                FROM usage_record r
                JOIN invoice_run run ON run.id <> $1
                     AND tstzrange(run.period_start, run.period_end) && tstzrange(r.t0, r.t1)
                WHERE r.received_at >= (SELECT t FROM since) AND r.t0 < (SELECT invoiced_until FROM since)
            )
            SELECT t.lease_id, t.period_start, t.period_end, u.bytes - coalesce(b.billed, 0) AS bytes, u.rollups,
                   o.invoice_id AS corrects_invoice_id, o.line_no AS corrects_line_no
            FROM touched t
            CROSS JOIN LATERAL (
                SELECT coalesce(sum(h.net_tx_bytes), 0) AS bytes, count(*) AS rollups FROM usage_hourly h
                WHERE h.lease_id = t.lease_id AND h.hour >= t.period_start AND h.hour < t.period_end) u
            CROSS JOIN LATERAL (
                SELECT sum(il.quantity) AS billed FROM invoice_line il
                WHERE il.lease_id = t.lease_id AND il.kind IN ('EGRESS', 'LATE_EGRESS')
                  AND il.charged_from >= t.period_start AND il.charged_to <= t.period_end) b
            LEFT JOIN LATERAL (
                SELECT il.invoice_id, il.line_no FROM invoice_line il JOIN invoice i ON i.id = il.invoice_id
                WHERE il.lease_id = t.lease_id AND i.kind = 'INVOICE'
                  AND i.period_start = t.period_start AND i.period_end = t.period_end
                  AND il.kind IN ('EGRESS', 'RESERVED', 'RESERVED_VCPU', 'RESERVED_MEMORY', 'RESERVED_DISK')
                ORDER BY il.kind = 'EGRESS' DESC, il.line_no LIMIT 1) o ON true
            WHERE u.bytes > coalesce(b.billed, 0)
            """;

    private static final String SUMMARY = """
            SELECT r.id, r.period_start, r.period_end, r.started_at,
                   (SELECT count(*) FROM invoice i WHERE i.run_id = r.id) AS invoices,
                   (SELECT count(*) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id WHERE i.run_id = r.id) AS lines,
                   (SELECT coalesce(sum(i.total_minor), 0) FROM invoice i WHERE i.run_id = r.id) AS total
            FROM invoice_run r WHERE r.id = $1
            """;

    /*
     * Numbering a month's lines sorts them all (20,000 for 10,000 leases, ~5 MB): the default 4 MB
     * of work_mem sent that sort to disk. For this transaction only.
     */
    private static final String SORT_IN_MEMORY = "SET LOCAL work_mem = '32MB'";

    private static final String LATEST_END = "SELECT max(period_end) AS latest FROM invoice_run";

    private final Pool pool;

    public InvoiceRunRepository(Pool pool) {
        this.pool = pool;
    }

    /** Runs {@code work} in one transaction: committed when its Uni succeeds, rolled back when it fails. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /** The earliest run whose period shares an instant with {@code period}, or null. */
    public Uni<BillingPeriod> overlapping(SqlConnection tx, BillingPeriod period) {
        return tx.preparedQuery(OVERLAPPING).execute(Tuple.of(utc(period.start()), utc(period.end())))
                .map(rows -> rows.size() == 0 ? null : periodOf(rows.iterator().next()));
    }

    /** Records the run; fails with SQLSTATE 23P01 when another run's period overlaps. */
    public Uni<Void> insertRun(SqlConnection tx, UUID runId, BillingPeriod period, UUID startedBy, Instant at) {
        return tx.preparedQuery(INSERT_RUN).execute(Tuple.of(runId, utc(period.start()), utc(period.end()), startedBy,
                utc(at))).replaceWithVoid();
    }

    /** Waits until no other invoice run is under way, and keeps others waiting until this transaction ends. */
    public Uni<Void> takeTurn(SqlConnection tx) {
        return tx.query(TAKE_TURNS).execute().replaceWithVoid();
    }

    /**
     * Rates every lease for the period, bills late usage of periods invoiced before, and issues the
     * invoices of the run; answers how many lines.
     */
    public Uni<Integer> rateAndIssue(SqlConnection tx, UUID runId, BillingPeriod period, Instant issuedAt) {
        List<Currency> currencies = List.copyOf(Currency.getAvailableCurrencies());
        String[] codes = currencies.stream().map(Currency::getCurrencyCode).toArray(String[]::new);
        Integer[] digits = currencies.stream().map(MinorUnits::digits).toArray(Integer[]::new);
        return tx.query(SORT_IN_MEMORY).execute()
                .chain(() -> tx.preparedQuery(EGRESS).execute(Tuple.of(utc(period.start()), utc(period.end()))))
                .chain(() -> tx.query(EGRESS_STATISTICS).execute())
                .chain(() -> tx.preparedQuery(LATE).execute(Tuple.of(runId))).chain(late -> {
                    int m = late.rowCount();
                    UUID[] lateLeases = new UUID[m];
                    OffsetDateTime[] lateFrom = new OffsetDateTime[m];
                    OffsetDateTime[] lateTo = new OffsetDateTime[m];
                    BigDecimal[] lateBytes = new BigDecimal[m];
                    Integer[] lateRollups = new Integer[m];
                    UUID[] correctsInvoice = new UUID[m];
                    Integer[] correctsLine = new Integer[m];
                    int j = 0;
                    for (Row row : late) {
                        lateLeases[j] = row.getUUID("lease_id");
                        lateFrom[j] = row.getOffsetDateTime("period_start");
                        lateTo[j] = row.getOffsetDateTime("period_end");
                        lateBytes[j] = row.getBigDecimal("bytes");
                        lateRollups[j] = row.getLong("rollups").intValue();
                        correctsInvoice[j] = row.getUUID("corrects_invoice_id");
                        correctsLine[j] = row.getInteger("corrects_line_no");
                        j++;
                    }
                    return tx.preparedQuery(RATE_AND_ISSUE).execute(Tuple.tuple().addValue(runId)
                            .addValue(utc(period.start())).addValue(utc(period.end())).addValue(utc(issuedAt))
                            .addValue(codes).addValue(digits).addValue(lateLeases).addValue(lateFrom).addValue(lateTo)
                            .addValue(lateBytes).addValue(lateRollups).addValue(correctsInvoice)
                            .addValue(correctsLine));
                }).map(RowSet::rowCount);
    }

    /** The run with its counts and total; null if there is none. */
    public Uni<InvoiceRun> summary(SqlConnection connection, UUID runId) {
        return connection.preparedQuery(SUMMARY).execute(Tuple.of(runId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new InvoiceRun(row.getUUID("id"), periodOf(row), row.getOffsetDateTime("started_at").toInstant(),
                    row.getLong("invoices").intValue(), row.getLong("lines").intValue(),
                    row.getNumeric("total").longValue());
        });
    }

    /** The end of the latest run's period; null before the first run. */
    public Uni<Instant> latestEnd() {
        return pool.query(LATEST_END).execute().map(rows -> {
            OffsetDateTime latest = rows.iterator().next().getOffsetDateTime("latest");
            return latest == null ? null : latest.toInstant();
        });
    }

    private static BillingPeriod periodOf(Row row) {
        return new BillingPeriod(row.getOffsetDateTime("period_start").toInstant(),
                row.getOffsetDateTime("period_end").toInstant());
    }
}
