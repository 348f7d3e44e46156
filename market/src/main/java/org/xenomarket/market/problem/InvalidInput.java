package org.xenomarket.market.problem;

import java.util.List;

/** A request that is well-formed JSON but asks for something invalid; names the field at fault. */
public class InvalidInput extends ProblemException {

    public InvalidInput(String field, String message) {
        this(List.of(new Problem.FieldError(field, message)));
    }

    public InvalidInput(List<Problem.FieldError> errors) {
        super(400, ProblemTypes.INVALID_INPUT, "Invalid request", describe(errors), errors);
    }

    private static String describe(List<Problem.FieldError> errors) {
        return errors.stream().map(e -> e.field() + ": " + e.message())
                .reduce((a, b) -> a + "; " + b).orElse("invalid request");
    }
}
