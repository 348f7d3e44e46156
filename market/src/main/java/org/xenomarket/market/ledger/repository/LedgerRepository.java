package org.xenomarket.market.ledger.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.xenomarket.market.ledger.Account;
import org.xenomarket.market.ledger.EntryKind;
import org.xenomarket.market.ledger.JournalLine;

/** Journal entries and their lines; the schema refuses an entry that does not balance. */
@ApplicationScoped
public class LedgerRepository {

    /*
     * One entry per invoice of the run: the sponsor's receivable is debited the total, each provider's
     * payable credited its lines net of the fee, the fee revenue credited the fees. The fee is rounded
     * per provider and invoice by minor_units (digits 0: the gross is already in minor units).
     */
    private static final String POST_RUN = """
            WITH gross AS (
                SELECT l.invoice_id, l.provider_id, l.currency, sum(l.amount_minor) AS gross
                FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
                WHERE i.run_id = $1 GROUP BY l.invoice_id, l.provider_id, l.currency
            ), fee AS (
                SELECT g.*, minor_units(g.gross * $2::numeric, 1, 0) AS fee FROM gross g
            ), entry AS (
                INSERT INTO journal_entry (id, kind, invoice_id, posted_at, description)
                SELECT gen_random_uuid(), 'INVOICE', i.id, $3, 'invoice ' || i.id || ' for '
                       || to_char(i.period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' to '
                       || to_char(i.period_end AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'
                FROM invoice i WHERE i.run_id = $1
                RETURNING id, invoice_id
            ), leg AS (
                SELECT e.id AS entry_id, 'SPONSOR_RECEIVABLE' AS account, i.sponsor_id AS party_id, i.currency,
                       i.total_minor AS amount
                FROM entry e JOIN invoice i ON i.id = e.invoice_id
                UNION ALL
                SELECT e.id, 'PROVIDER_PAYABLE', f.provider_id, f.currency, -(f.gross - f.fee)
                FROM entry e JOIN fee f ON f.invoice_id = e.invoice_id
                UNION ALL
                SELECT e.id, 'PLATFORM_FEE_REVENUE', NULL, f.currency, -sum(f.fee)
                FROM entry e JOIN fee f ON f.invoice_id = e.invoice_id GROUP BY e.id, f.currency
            )
            INSERT INTO journal_line (entry_id, line_no, account, party_id, currency, amount_minor)
            SELECT entry_id, row_number() OVER (PARTITION BY entry_id ORDER BY account DESC, party_id), account, party_id,
                   currency, amount
            FROM leg WHERE amount <> 0
            """;

    private static final String INSERT_ENTRY = """
            INSERT INTO journal_entry (id, kind, invoice_id, provider_reference, posted_at, description)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (provider_reference) DO NOTHING
            RETURNING id
            """;

    private static final String INSERT_LINES = """
            INSERT INTO journal_line (entry_id, line_no, account, party_id, currency, amount_minor)
            SELECT $1, n, account, party, currency, amount
            FROM unnest($2::text[], $3::uuid[], $4::text[], $5::bigint[]) WITH ORDINALITY AS t(account, party, currency,
                amount, n)
            """;

    private static final String POSTED_ON_INVOICE = """
            SELECT coalesce(sum(jl.amount_minor) FILTER (WHERE je.kind IN ('PAYMENT', 'DISPUTE_LOST')), 0) AS paid,
                   coalesce(-sum(jl.amount_minor) FILTER (WHERE je.kind IN ('REFUND', 'REFUND_FAILED')), 0) AS refunded
            FROM journal_entry je JOIN journal_line jl ON jl.entry_id = je.id
            WHERE je.invoice_id = $1 AND jl.account = 'PROVIDER_CASH' AND jl.currency = $2
            """;

    private static final String BALANCES = """
            SELECT account, currency, sum(amount_minor) AS balance FROM journal_line
            WHERE ($1::text IS NULL OR account = $1) AND ($2::uuid IS NULL OR party_id = $2)
            GROUP BY account, currency ORDER BY account, currency
            """;

    private static final String UNBALANCED = """
            SELECT count(*) AS unbalanced FROM (
                SELECT entry_id FROM journal_line GROUP BY entry_id, currency HAVING sum(amount_minor) <> 0) AS off
            """;

    private static final String POSTED_KIND = "SELECT kind FROM journal_entry WHERE provider_reference = $1";

    private static final String IS_PROVIDER = "SELECT count(*) AS n FROM account WHERE id = $1 AND kind = 'PROVIDER'";

    private final Pool pool;

    public LedgerRepository(Pool pool) {
        this.pool = pool;
    }

    /** Runs {@code work} in one transaction: committed when its Uni succeeds, rolled back when it fails. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /** Posts one entry per invoice of the run, the platform taking {@code feeRate} of every provider's gross. */
    public Uni<Integer> postRun(SqlConnection tx, UUID runId, BigDecimal feeRate, Instant at) {
        return tx.preparedQuery(POST_RUN).execute(Tuple.of(runId, feeRate, at.atOffset(ZoneOffset.UTC)))
                .map(RowSet::rowCount);
    }

    /**
     * Posts one entry with its lines; answers false and posts nothing when an entry with the same
     * provider reference was posted already (the call is then a replay).
     */
    public Uni<Boolean> post(SqlConnection tx, UUID entryId, EntryKind kind, UUID invoiceId, String providerReference,
                             String description, Instant at, List<JournalLine> lines) {
        Tuple entry = Tuple.tuple().addValue(entryId).addValue(kind.name()).addValue(invoiceId)
                .addValue(providerReference).addValue(at.atOffset(ZoneOffset.UTC)).addValue(description);
        return tx.preparedQuery(INSERT_ENTRY).execute(entry).chain(inserted -> {
            if (inserted.rowCount() == 0) {
                return Uni.createFrom().item(false);
            }
            Tuple legs = Tuple.tuple().addValue(entryId)
                    .addValue(lines.stream().map(l -> l.account().name()).toArray(String[]::new))
                    .addValue(lines.stream().map(JournalLine::partyId).toArray(UUID[]::new))
                    .addValue(lines.stream().map(JournalLine::currency).toArray(String[]::new))
                    .addValue(lines.stream().map(JournalLine::amountMinor).toArray(Long[]::new));
            return tx.preparedQuery(INSERT_LINES).execute(legs).replaceWith(true);
        });
    }

    /** The kind of the entry posted under the provider reference; null if none was. */
    public Uni<EntryKind> postedUnder(SqlConnection tx, String providerReference) {
        return tx.preparedQuery(POSTED_KIND).execute(Tuple.of(providerReference))
                .map(rows -> rows.size() == 0 ? null : EntryKind.valueOf(rows.iterator().next().getString("kind")));
    }

    /**
     * What was paid on the invoice and what of it refunded, in its currency: {@code [paid, refunded]};
     * paid is net of lost disputes, refunded net of refunds that failed.
     */
    public Uni<long[]> paidAndRefunded(SqlConnection tx, UUID invoiceId, String currency) {
        return tx.preparedQuery(POSTED_ON_INVOICE).execute(Tuple.of(invoiceId, currency)).map(rows -> {
            Row row = rows.iterator().next();
            return new long[] {row.getNumeric("paid").longValue(), row.getNumeric("refunded").longValue()};
        });
    }

    /** Whether the account exists and is a provider's. */
    public Uni<Boolean> isProvider(SqlConnection tx, UUID accountId) {
        return tx.preparedQuery(IS_PROVIDER).execute(Tuple.of(accountId))
                .map(rows -> rows.iterator().next().getLong("n") > 0);
    }

    /** Balances per account and currency, optionally of one account and one party. */
    public Uni<List<Balance>> balances(Account account, UUID partyId) {
        return pool.preparedQuery(BALANCES).execute(Tuple.of(account == null ? null : account.name(), partyId))
                .map(rows -> {
                    List<Balance> balances = new ArrayList<>();
                    rows.forEach(r -> balances.add(new Balance(Account.valueOf(r.getString("account")),
                            r.getString("currency"), r.getNumeric("balance").longValue())));
                    return balances;
                });
    }

    /** How many entries do not sum to zero in some currency: always 0 while the schema's trigger stands. */
    public Uni<Long> unbalancedEntries() {
        return pool.query(UNBALANCED).execute().map(rows -> rows.iterator().next().getLong("unbalanced"));
    }

    /** An account's balance in one currency (debits positive). */
    public record Balance(Account account, String currency, long balanceMinor) {
    }
}
