package org.xenomarket.market.payment;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.xenomarket.market.ledger.service.LedgerPostings;

/**
 * The ledger as the payment tests see it, while billing's real ledger is not on this branch: each
 * posting is kept as a double entry (two lines summing to zero), once per provider reference, as
 * the LedgerPostings contract demands. Replaces the main code's failing default bean in tests only.
 */
public class RecordingLedger implements LedgerPostings {

    /** One journal line: an account and a signed amount (debit positive). */
    public record Line(String account, long amountMinor, String currency) {
    }

    /** One balanced entry. */
    public record Entry(String kind, UUID subject, String providerReference, List<Line> lines) {

        public long sum() {
            return lines.stream().mapToLong(Line::amountMinor).sum();
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public Uni<Void> paymentReceived(UUID invoiceId, long amountMinor, String currency, String providerReference) {
        return post(new Entry("payment", invoiceId, providerReference, List.of(
                new Line("cash-at-stripe", amountMinor, currency),
                new Line("receivable:" + invoiceId, -amountMinor, currency))));
    }

    @Override
    public Uni<Void> refundIssued(UUID invoiceId, long amountMinor, String currency, String providerReference) {
        return post(new Entry("refund", invoiceId, providerReference, List.of(
                new Line("receivable:" + invoiceId, amountMinor, currency),
                new Line("cash-at-stripe", -amountMinor, currency))));
    }

    @Override
    public Uni<Void> payoutMade(UUID providerAccountId, long amountMinor, String currency, String providerReference) {
        return post(new Entry("payout", providerAccountId, providerReference, List.of(
                new Line("payable:" + providerAccountId, amountMinor, currency),
                new Line("cash-at-stripe", -amountMinor, currency))));
    }

    private Uni<Void> post(Entry entry) {
        entries.putIfAbsent(entry.providerReference(), entry);
        return Uni.createFrom().voidItem();
    }

    /** The entries about one invoice or provider. */
    public List<Entry> about(UUID subject) {
        return entries.values().stream().filter(e -> e.subject().equals(subject)).toList();
    }
}
