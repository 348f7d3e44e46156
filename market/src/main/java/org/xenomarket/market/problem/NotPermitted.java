package org.xenomarket.market.problem;

import java.util.List;

/** The caller is known but its role does not allow this action. */
public class NotPermitted extends ProblemException {

    public NotPermitted(String detail) {
        super(403, ProblemTypes.NOT_PERMITTED, "Not permitted", detail, List.of());
    }
}
