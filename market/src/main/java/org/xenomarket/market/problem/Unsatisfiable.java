package org.xenomarket.market.problem;

import java.util.List;

/**
 * A request that is valid on its face but that no server the market has could ever satisfy, e.g. a
 * placement with no server at all, or more memory than any server there has; names the field at fault.
 */
public class Unsatisfiable extends ProblemException {

    public Unsatisfiable(List<Problem.FieldError> errors) {
        super(422, ProblemTypes.UNSATISFIABLE, "Cannot be satisfied", errors.stream()
                .map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("unsatisfiable"),
                errors);
    }
}
