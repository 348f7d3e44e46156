package org.xenomarket.market.payment.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.ledger.service.LedgerPostings;
import org.xenomarket.market.payment.PaymentDispute;
import org.xenomarket.market.payment.repository.InvoicePaymentRepository;
import org.xenomarket.market.payment.repository.PaymentDisputeRepository;
import org.xenomarket.market.security.Actor;

/**
 * Disputes (chargebacks) of invoice payments, from Stripe's {@code charge.dispute.created} and
 * {@code charge.dispute.closed}, in either order and any number of times. A dispute is recorded
 * when first heard of, closed once (WON or LOST are final), and only a loss moves money in the
 * ledger: one DISPUTE_LOST entry under the dispute's id, cash down and the sponsor's receivable up.
 * An open dispute moves nothing: its outcome is not known, and a won one gives the money back.
 */
@ApplicationScoped
public class Disputes {

    private static final Logger LOG = Logger.getLogger(Disputes.class);
    private static final Actor WEBHOOK = new Actor(null, "stripe-webhook", null, null);

    /** What Stripe reported of a dispute; {@code closedAs} is Stripe's status when it closed it, else null. */
    public record Reported(String disputeId, String paymentIntentId, Long amountMinor, String currency, String reason,
                           String closedAs) {
    }

    private final InvoicePaymentRepository payments;
    private final PaymentDisputeRepository disputes;
    private final LedgerPostings ledger;
    private final AuditLog audit;
    private final Clock clock;

    public Disputes(InvoicePaymentRepository payments, PaymentDisputeRepository disputes, LedgerPostings ledger,
                    AuditLog audit, Clock clock) {
        this.payments = payments;
        this.disputes = disputes;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
    }

    /** Applies the report in the webhook's transaction; false when it is about no invoice of the market's. */
    public Uni<Boolean> reported(Reported report) {
        if (report.disputeId() == null || report.paymentIntentId() == null || report.amountMinor() == null
                || report.amountMinor() <= 0 || report.currency() == null) {
            LOG.warnf("Dispute %s without payment intent, amount or currency; ignored", report.disputeId());
            return Uni.createFrom().item(false);
        }
        return payments.invoiceOfIntent(report.paymentIntentId()).chain(invoiceId -> {
            if (invoiceId == null) {
                LOG.warnf("Dispute %s of PaymentIntent %s, which paid no invoice of ours; ignored", report.disputeId(),
                        report.paymentIntentId());
                return Uni.createFrom().item(false);
            }
            PaymentDispute dispute = new PaymentDispute(report.disputeId(), invoiceId, report.paymentIntentId(),
                    report.amountMinor(), report.currency().toUpperCase(Locale.ROOT), report.reason());
            String amount = dispute.amountMinor() + " " + dispute.currency();
            Instant now = clock.instant();
            return disputes.open(dispute, now)
                    .call(opened -> opened ? audit.record(WEBHOOK, "payment.dispute.opened", "invoice",
                            invoiceId.toString(), null, amount, "dispute " + dispute.id() + ": " + dispute.reason())
                            : Uni.createFrom().voidItem())
                    .chain(() -> disputes.lockStatus(dispute.id()))
                    .chain(status -> {
                        PaymentDispute.Status outcome = outcomeOf(report.closedAs());
                        if (outcome == null || status != PaymentDispute.Status.OPEN) {
                            return Uni.createFrom().item(true);
                        }
                        LOG.infof("Dispute %s of invoice %s closed %s (%s)", dispute.id(), invoiceId, outcome, amount);
                        return disputes.close(dispute.id(), outcome, now)
                                .call(() -> audit.record(WEBHOOK, "payment.dispute." + outcome.name().toLowerCase(
                                        Locale.ROOT), "invoice", invoiceId.toString(), "OPEN", outcome.name(),
                                        "dispute " + dispute.id() + " of " + amount))
                                .call(() -> outcome == PaymentDispute.Status.LOST
                                        ? ledger.disputeLost(invoiceId, dispute.amountMinor(), dispute.currency(),
                                                dispute.id())
                                        : Uni.createFrom().voidItem())
                                .replaceWith(true);
                    });
        });
    }

    /*
     * Stripe's closed statuses: "lost", "won", and "warning_closed" (an inquiry that closed without
     * becoming a chargeback: no money moved, so it counts as won). Anything else is still open.
     */
    static PaymentDispute.Status outcomeOf(String stripeStatus) {
        if (stripeStatus == null) {
            return null;
        }
        return switch (stripeStatus) {
            case "lost" -> PaymentDispute.Status.LOST;
            case "won", "warning_closed" -> PaymentDispute.Status.WON;
            default -> null;
        };
    }
}
