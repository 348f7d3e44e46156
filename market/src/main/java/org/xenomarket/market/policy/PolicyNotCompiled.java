package org.xenomarket.market.policy;

import java.util.List;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.problem.ProblemException;
import org.xenomarket.market.problem.ProblemTypes;
import org.xenomarket.pricing.PolicyCompilationException;

/** DRL that does not compile: 422 with the compiler's message, line and column per problem. */
public class PolicyNotCompiled extends ProblemException {

    public PolicyNotCompiled(String version, PolicyCompilationException e) {
        super(422, ProblemTypes.POLICY_NOT_COMPILED, "Policy does not compile",
                "Version " + version + " does not compile; the active policy is unchanged.",
                e.problems().stream().map(p -> new Problem.FieldError("drlSources." + p.source(),
                        "line " + p.line() + ", column " + p.column() + ": " + p.message())).toList());
    }
}
