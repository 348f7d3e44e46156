package org.xenomarket.market.idempotency.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.xenomarket.market.idempotency.Answer;
import org.xenomarket.market.idempotency.IdempotencyKeyReused;
import org.xenomarket.market.idempotency.KeyedRequest;
import org.xenomarket.market.idempotency.StoredRequest;
import org.xenomarket.market.idempotency.repository.IdempotencyRepository;
import org.xenomarket.market.problem.Conflict;

/**
 * Runs a request at most once per (account, Idempotency-Key), as Stripe does: the key is looked up
 * before anything else of the request is checked, so a late retry gets the first answer even when
 * the request would now be refused (its start has passed); the first answer is saved and replayed
 * byte for byte; the same key with other parameters is refused (422); a retry while the first is
 * still running is told to wait (409). A request that fails gives its key up: nothing was done, so
 * a retry may run it again.
 */
@ApplicationScoped
public class IdempotentRequests {

    private static final Logger LOG = Logger.getLogger(IdempotentRequests.class);
    /** Stripe keeps keys for 24 hours; a shorter retention would break clients that retry a day later. */
    static final Duration LEAST_RETENTION = Duration.ofHours(24);

    private final IdempotencyRepository requests;
    private final IdempotencySettings settings;
    private final Clock clock;

    public IdempotentRequests(IdempotencyRepository requests, IdempotencySettings settings, Clock clock) {
        this.requests = requests;
        this.settings = settings;
        this.clock = clock;
    }

    /** Runs {@code action} for the keyed request, or answers what its first run answered. */
    public Uni<Answer> once(KeyedRequest request, Supplier<Uni<Answer>> action) {
        Instant now = clock.instant();
        return requests.claim(request, now, now.minus(settings.abandonedAfter())).chain(claimed -> claimed
                ? run(request, action)
                : requests.find(request.accountId(), request.key()).map(stored -> earlier(request, stored)));
    }

    private Uni<Answer> run(KeyedRequest request, Supplier<Uni<Answer>> action) {
        return Uni.createFrom().deferred(() -> action.get())
                .onFailure().call(failure -> requests.release(request)
                        .onFailure().invoke(f -> LOG.warnf(f, "Could not release Idempotency-Key %s of %s",
                                request.key(), request.accountId()))
                        .onFailure().recoverWithNull())
                .call(answer -> requests.answer(request, answer, clock.instant())
                        // The work is done and its answer goes out; the key stays IN_FLIGHT until abandoned.
                        .onFailure().invoke(f -> LOG.errorf(f, "Could not save the answer to Idempotency-Key %s of %s",
                                request.key(), request.accountId()))
                        .onFailure().recoverWithNull());
    }

    private static Answer earlier(KeyedRequest request, StoredRequest stored) {
        if (stored == null) {
            // Released by a failed first try, or purged, between our claim and this look: retry.
            throw new Conflict(KeyedRequest.HEADER, "the first request with this Idempotency-Key just ended "
                    + "without an answer; send it again");
        }
        if (!stored.operation().equals(request.operation())
                || !Arrays.equals(stored.parametersHash(), request.parametersHash())) {
            throw new IdempotencyKeyReused(stored.operation());
        }
        if (stored.inFlight()) {
            throw new Conflict(KeyedRequest.HEADER, "a request with this Idempotency-Key is still being processed; "
                    + "retry in a moment to get its answer");
        }
        LOG.debugf("Idempotency-Key %s of %s replayed", request.key(), request.accountId());
        return stored.answer().asReplay();
    }

    /** Deletes keys past their retention (never under 24 hours); returns how many. */
    public Uni<Integer> purge() {
        Duration retention = settings.retention().compareTo(LEAST_RETENTION) < 0 ? LEAST_RETENTION
                : settings.retention();
        return requests.purgeMadeBefore(clock.instant().minus(retention));
    }
}
