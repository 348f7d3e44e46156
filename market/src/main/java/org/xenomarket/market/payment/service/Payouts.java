package org.xenomarket.market.payment.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.xenomarket.market.account.AccountKind;
import org.xenomarket.market.account.repository.AccountRepository;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.ledger.service.LedgerPostings;
import org.xenomarket.market.ledger.service.ProviderPayables;
import org.xenomarket.market.payment.ConnectedAccount;
import org.xenomarket.market.payment.IdempotencyKeys;
import org.xenomarket.market.payment.Payout;
import org.xenomarket.market.payment.repository.ConnectedAccountRepository;
import org.xenomarket.market.payment.repository.PayoutRepository;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.Actor;

/**
 * Pays providers through Stripe Connect: one Transfer per payout to the provider's connected
 * account, of at most what the ledger says is owed to it ({@link ProviderPayables}, already net of
 * the platform fee, which billing books when it issues an invoice: no fee is taken here), with the
 * payout's id as the idempotency key; once Stripe
 * confirms it, {@link LedgerPostings#payoutMade} (idempotent per transfer id). A transfer whose
 * answer was lost stays PENDING and is resent, with the same key, by the payment sweep.
 */
@ApplicationScoped
public class Payouts {

    private static final Logger LOG = Logger.getLogger(Payouts.class);
    /** What finance asks to pay a provider: an amount of what it is owed (net of the platform fee). */
    public record PayoutOrder(UUID providerId, String requestKey, long amountMinor, String currency) {
    }

    /** A payout and whether it was made by an earlier request with the same key. */
    public record Placed(Payout payout, boolean replayed) {
    }

    private final PayoutRepository payouts;
    private final ConnectedAccountRepository connected;
    private final AccountRepository accounts;
    private final StripeGateway stripe;
    private final LedgerPostings ledger;
    private final ProviderPayables payables;
    private final AuditLog audit;
    private final Clock clock;

    public Payouts(PayoutRepository payouts, ConnectedAccountRepository connected, AccountRepository accounts,
                   StripeGateway stripe, LedgerPostings ledger, ProviderPayables payables, AuditLog audit,
                   Clock clock) {
        this.payouts = payouts;
        this.connected = connected;
        this.accounts = accounts;
        this.stripe = stripe;
        this.ledger = ledger;
        this.payables = payables;
        this.audit = audit;
        this.clock = clock;
    }

    /** Sets the provider's connected account ({@code acct_...}), where its payouts go from now on. */
    public Uni<ConnectedAccount> connect(Actor actor, UUID providerId, String stripeAccountId) {
        return Panache.withTransaction(() -> provider(providerId)
                .chain(() -> connected.findById(providerId))
                .chain(before -> connected.put(providerId, stripeAccountId, clock.instant())
                        .chain(() -> audit.record(actor, "payment.connected-account", "account", providerId.toString(),
                                before == null ? null : before.stripeAccountId, stripeAccountId, null))))
                .chain(() -> Panache.withSession(() -> connected.findById(providerId)));
    }

    /** Pays a provider; the same order again (same key) returns the first payout, resending a lost transfer. */
    public Uni<Placed> pay(Actor actor, PayoutOrder order) {
        if (order.requestKey() == null || order.requestKey().isBlank() || order.requestKey().length() > 255) {
            return Uni.createFrom().failure(new InvalidInput("Idempotency-Key", "is required, 1 to 255 characters"));
        }
        if (order.amountMinor() <= 0) {
            return Uni.createFrom().failure(new InvalidInput("amountMinor", "must be a positive number of minor units"));
        }
        return Panache.withTransaction(() -> payouts.findByRequest(order.providerId(), order.requestKey())
                .chain(existing -> existing != null ? replay(existing, order) : create(actor, order)))
                .chain(placed -> placed.payout().state == Payout.State.PENDING
                        ? send(placed.payout().id).map(p -> new Placed(p, placed.replayed()))
                        : Uni.createFrom().item(placed));
    }

    /** Resends the transfers whose answers were lost; returns how many were tried. */
    public Uni<Integer> resendPending(int limit) {
        return Panache.withSession(() -> payouts.pendingIds(limit)).chain(ids -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (UUID id : ids) {
                chain = chain.chain(done -> send(id)
                        .onFailure().invoke(e -> LOG.errorf(e, "Resending payout %s failed", id))
                        .onFailure().recoverWithNull()
                        .replaceWith(done + 1));
            }
            return chain;
        });
    }

    /** One payout, as finance or its provider ({@code providerId}, null for finance) may see it. */
    public Uni<Payout> get(UUID providerId, UUID payoutId) {
        return Panache.withSession(() -> payouts.findById(payoutId)).map(payout -> {
            if (payout == null || (providerId != null && !providerId.equals(payout.providerId))) {
                throw new NotFound("payout", payoutId);
            }
            return payout;
        });
    }

    private Uni<Placed> replay(Payout existing, PayoutOrder order) {
        if (existing.netMinor != order.amountMinor() || !existing.currency.equals(order.currency())) {
            throw new Conflict("Idempotency-Key", "this key was used for a payout of " + existing.netMinor + " "
                    + existing.currency + " (payout " + existing.id + ")");
        }
        return Uni.createFrom().item(new Placed(existing, true));
    }

    private Uni<Placed> create(Actor actor, PayoutOrder order) {
        // the connected account's row lock makes one provider's payouts take turns, so two at once
        // cannot both fit in what is owed
        return provider(order.providerId())
                .chain(() -> connected.findById(order.providerId(), LockModeType.PESSIMISTIC_WRITE)).call(account -> {
                    if (account == null) {
                        throw new Conflict("providerId", "provider " + order.providerId() + " has no connected account;"
                                + " set it with PUT /api/v1/payments/providers/" + order.providerId()
                                + "/connected-account");
                    }
                    return available(order.providerId(), order.currency()).invoke(available -> {
                        if (order.amountMinor() > available) {
                            throw new Conflict("amountMinor", "at most " + Math.max(0, available) + " minor units of "
                                    + order.currency() + " are owed to provider " + order.providerId()
                                    + " (its payable in the ledger, net of the platform fee, less payouts in flight)");
                        }
                    });
                }).chain(account -> {
            Instant now = clock.instant();
            Payout payout = new Payout();
            payout.id = TimeOrderedId.next();
            payout.providerId = order.providerId();
            payout.requestKey = order.requestKey();
            // the fee was taken when the invoices were issued; the columns stay for the payout table's shape
            payout.grossMinor = order.amountMinor();
            payout.feeMinor = 0;
            payout.netMinor = order.amountMinor();
            payout.currency = order.currency();
            payout.destination = account.stripeAccountId;
            payout.state = Payout.State.PENDING;
            payout.createdAt = now;
            payout.updatedAt = now;
            return payouts.persist(payout)
                    .chain(() -> audit.record(actor, "payment.payout.ordered", "payout", payout.id.toString(), null,
                            payout.netMinor + " " + payout.currency + " to " + payout.destination,
                            "of the provider's payable"))
                    .replaceWith(new Placed(payout, false));
        });
    }

    /** What may still be paid out: the ledger's payable less the payouts sent but not yet posted. */
    private Uni<Long> available(UUID providerId, String currency) {
        return payables.owed(providerId, currency)
                .chain(owed -> payouts.pendingMinor(providerId, currency).map(pending -> owed - pending));
    }

    private Uni<Void> provider(UUID providerId) {
        return accounts.findById(providerId).map(account -> {
            if (account == null || account.kind != AccountKind.PROVIDER) {
                throw new NotFound("provider", providerId);
            }
            return null;
        }).replaceWithVoid();
    }

    private Uni<Payout> send(UUID payoutId) {
        return Panache.withSession(() -> payouts.findById(payoutId)).chain(payout -> stripe.transfer(payout.id,
                        payout.destination, payout.netMinor, payout.currency, IdempotencyKeys.payout(payout.id)))
                .chain(outcome -> Panache.withTransaction(() -> payouts.lock(payoutId)
                        .chain(payout -> apply(payout, outcome))));
    }

    private Uni<Payout> apply(Payout payout, StripeOutcome outcome) {
        if (payout.state != Payout.State.PENDING) {
            return Uni.createFrom().item(payout);
        }
        Instant now = clock.instant();
        payout.updatedAt = now;
        if (outcome instanceof StripeOutcome.Done done) {
            payout.state = Payout.State.PAID;
            payout.transferId = done.objectId();
            payout.paidAt = now;
            payout.lastError = null;
            LOG.infof("Payout %s paid: %d %s to %s by %s", payout.id, payout.netMinor, payout.currency,
                    payout.destination, done.objectId());
            return ledger.payoutMade(payout.providerId, payout.netMinor, payout.currency, done.objectId())
                    .replaceWith(payout);
        }
        if (outcome instanceof StripeOutcome.Refused refused) {
            payout.state = Payout.State.FAILED;
            payout.lastError = refused.reason();
            return Uni.createFrom().item(payout);
        }
        payout.lastError = outcome instanceof StripeOutcome.Unknown unknown ? unknown.reason() : outcome.toString();
        return Uni.createFrom().item(payout);
    }
}
