package org.xenomarket.market.problem;

import java.util.List;

/** The request clashes with what is stored, e.g. an idempotency key reused for another request. */
public class Conflict extends ProblemException {

    public Conflict(String field, String detail) {
        super(409, ProblemTypes.CONFLICT, "Conflict", detail,
                field == null ? List.of() : List.of(new Problem.FieldError(field, detail)));
    }
}
