package org.xenomarket.market.problem;

import java.util.List;

/** The object does not exist, or is not the caller's to see (the two are not told apart). */
public class NotFound extends ProblemException {

    public NotFound(String what, Object id) {
        super(404, ProblemTypes.NOT_FOUND, "Not found", what + " " + id + " not found", List.of());
    }
}
