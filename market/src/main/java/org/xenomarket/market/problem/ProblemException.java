package org.xenomarket.market.problem;

import java.util.List;

/**
 * A domain error that the API reports as problem JSON. Subclasses name the error; the mapper
 * turns them into responses, so no resource builds error responses by hand.
 */
public abstract class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<Problem.FieldError> errors;

    protected ProblemException(int status, String type, String title, String detail,
                               List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** Headers the answer carries beside the problem document (Retry-After, say); none by default. */
    public java.util.Map<String, String> headers() {
        return java.util.Map.of();
    }

    /** The problem document for this error. */
    public Problem toProblem(String instance) {
        return new Problem(type, title, status, getMessage(), instance, errors);
    }
}
