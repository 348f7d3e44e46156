package org.xenomarket.market.problem;

import java.util.List;

/** No valid bearer token came with the request. */
public class NotAuthenticated extends ProblemException {

    public NotAuthenticated(String detail) {
        super(401, ProblemTypes.NOT_AUTHENTICATED, "Not authenticated", detail, List.of());
    }
}
