package org.xenomarket.market.policy;

import java.util.List;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.problem.ProblemException;
import org.xenomarket.market.problem.ProblemTypes;
import org.xenomarket.pricing.GoldenQuotes;

/** A version that does not reproduce its golden quotes is not activated; 422 listing the quotes that differ. */
public class GoldenQuotesDiffer extends ProblemException {

    public GoldenQuotesDiffer(String version, List<GoldenQuotes.Mismatch> mismatches) {
        super(422, ProblemTypes.GOLDEN_QUOTES_DIFFER, "Golden quotes differ",
                "Version " + version + " prices " + mismatches.size()
                        + " golden quote(s) differently and was not activated; the active policy is unchanged.",
                mismatches.stream().map(m -> new Problem.FieldError("goldenQuotes." + m.name(),
                        String.join("; ", m.differences()))).toList());
    }
}
