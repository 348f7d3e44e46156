package org.xenomarket.market.payment.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Makes what is due in payments: invoices billing issued taken into collection, dunning retries
 * of declined invoices, resends of attempts, transfers and refunds whose answers were lost (with
 * their original idempotency keys). Every
 * {@code xenomarket.payment.sweep-interval}; several instances may sweep at once, since each attempt
 * is claimed under its row lock and a resend with the same key is harmless at Stripe.
 */
@ApplicationScoped
public class PaymentSweep {

    private static final Logger LOG = Logger.getLogger(PaymentSweep.class);
    private static final int BATCH = 100;

    private final InvoiceIntake intake;
    private final InvoicePayments payments;
    private final Payouts payouts;
    private final Refunds refunds;
    private volatile boolean stopping;

    public PaymentSweep(InvoiceIntake intake, InvoicePayments payments, Payouts payouts, Refunds refunds) {
        this.intake = intake;
        this.payments = payments;
        this.payouts = payouts;
        this.refunds = refunds;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${xenomarket.payment.sweep-interval:60s}", delayed = "${xenomarket.payment.sweep-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return stopping ? Uni.createFrom().voidItem() : sweep().replaceWithVoid();
    }

    /**
     * One sweep; returns how many invoices were taken into collection (each with its first attempt),
     * and how many invoice attempts, payouts and refunds were tried.
     */
    public Uni<Integer> sweep() {
        return intake.takeIssued(BATCH)
                .chain(taken -> payments.attemptDue(BATCH).map(attempts -> taken + attempts))
                .chain(attempts -> payouts.resendPending(BATCH).map(sent -> attempts + sent))
                .chain(tried -> refunds.resendPending(BATCH).map(sent -> tried + sent))
                .invoke(tried -> {
                    if (tried > 0) {
                        LOG.infof("Payment sweep tried %d attempt(s) and transfer(s)", tried);
                    }
                });
    }
}
