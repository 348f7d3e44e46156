package org.xenomarket.market.billing.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.billing.CollectibleInvoice;

/** Which issued invoices are handed over for collection ({@code invoice_handover}), and which are not yet. */
@ApplicationScoped
public class HandoverRepository {

    // Oldest first, so a backlog drains in issue order; credit notes already issued reduce the amount.
    private static final String AWAITING = """
            SELECT i.id, i.sponsor_id, i.currency,
                   i.total_minor + coalesce((SELECT sum(c.total_minor) FROM invoice c WHERE c.corrects_id = i.id), 0)
                       AS due_minor
            FROM invoice i
            WHERE i.kind = 'INVOICE' AND NOT EXISTS (SELECT 1 FROM invoice_handover h WHERE h.invoice_id = i.id)
            ORDER BY i.id
            LIMIT $1
            """;
    private static final String HANDED_OVER = """
            INSERT INTO invoice_handover (invoice_id, amount_minor, handed_over_at) VALUES ($1, $2, $3)
            ON CONFLICT (invoice_id) DO NOTHING
            """;

    private final Pool pool;

    public HandoverRepository(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code limit} issued invoices not handed over yet, oldest first. */
    public Uni<List<CollectibleInvoice>> awaiting(int limit) {
        return pool.preparedQuery(AWAITING).execute(Tuple.of(limit)).map(rows -> {
            List<CollectibleInvoice> invoices = new ArrayList<>();
            rows.forEach(row -> invoices.add(new CollectibleInvoice(row.getUUID("id"), row.getUUID("sponsor_id"),
                    row.getLong("due_minor"), row.getString("currency"))));
            return invoices;
        });
    }

    /** Records the hand-over; a second one for the same invoice changes nothing. */
    public Uni<Void> handedOver(UUID invoiceId, long amountMinor, Instant at) {
        return pool.preparedQuery(HANDED_OVER).execute(Tuple.of(invoiceId, amountMinor, at.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
