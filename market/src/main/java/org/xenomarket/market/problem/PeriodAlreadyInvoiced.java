package org.xenomarket.market.problem;

import java.util.List;

/** An invoice run asked for a period that shares an instant with a period already invoiced. */
public class PeriodAlreadyInvoiced extends ProblemException {

    public PeriodAlreadyInvoiced(String field, String detail) {
        super(409, ProblemTypes.PERIOD_ALREADY_INVOICED, "Period already invoiced", detail,
                List.of(new Problem.FieldError(field, detail)));
    }
}
