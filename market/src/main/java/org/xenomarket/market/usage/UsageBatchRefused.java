package org.xenomarket.market.usage;

import java.util.List;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.problem.ProblemException;
import org.xenomarket.market.problem.ProblemTypes;

/**
 * A signed usage batch whose hash chain or signature does not hold: a record altered, missing,
 * added or reordered after signing. Refused whole, nothing stored; the field names where the
 * chain broke ({@code records[3].previous}, {@code head}, {@code signature}).
 */
public class UsageBatchRefused extends ProblemException {

    public UsageBatchRefused(String field, String detail) {
        super(422, ProblemTypes.USAGE_BATCH_REFUSED, "Usage batch refused", detail,
                List.of(new Problem.FieldError(field, detail)));
    }
}
