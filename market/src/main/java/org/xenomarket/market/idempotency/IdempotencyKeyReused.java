package org.xenomarket.market.idempotency;

import java.util.List;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.problem.ProblemException;
import org.xenomarket.market.problem.ProblemTypes;

/** An Idempotency-Key sent again with other parameters than its first request: 422, nothing is done. */
public class IdempotencyKeyReused extends ProblemException {

    public IdempotencyKeyReused(String operation) {
        super(422, ProblemTypes.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key reused",
                "this Idempotency-Key was first used for a request with other parameters (" + operation
                        + "); use a new key for a new request",
                List.of(new Problem.FieldError(KeyedRequest.HEADER, "was used for a request with other parameters")));
    }
}
