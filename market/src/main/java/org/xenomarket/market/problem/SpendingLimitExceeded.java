package org.xenomarket.market.problem;

import java.util.List;

/** A bid whose worst-case cost would take the sponsor past its monthly spending limit; says the room left. */
public class SpendingLimitExceeded extends ProblemException {

    public SpendingLimitExceeded(String field, String detail) {
        super(422, ProblemTypes.SPENDING_LIMIT_EXCEEDED, "Spending limit exceeded", detail,
                List.of(new Problem.FieldError(field, detail)));
    }
}
