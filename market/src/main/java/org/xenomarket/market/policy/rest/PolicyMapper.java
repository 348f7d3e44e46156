package org.xenomarket.market.policy.rest;

import org.xenomarket.market.policy.PolicyDiff;
import org.xenomarket.market.policy.PolicyDraft;
import org.xenomarket.market.policy.service.PolicyService;

/** Pricing policy versions between the wire and the domain. */
public final class PolicyMapper {

    private PolicyMapper() {
    }

    /** The draft as sent; tables and golden quotes travel on as JSON text, which the service checks against their schemas. */
    public static PolicyDraft toDraft(CreatePolicyRequest request) {
        return new PolicyDraft(request.version(), request.basedOn(), request.note(), request.drlSources(),
                request.tables() == null ? null : request.tables().toString(),
                request.goldenQuotes() == null ? null : request.goldenQuotes().toString());
    }

    public static PolicyDiffView toView(PolicyDiff diff) {
        return new PolicyDiffView(diff.from(), diff.to(), diff.tables(), diff.drlSources());
    }

    public static PolicyView toView(PolicyService.Described described) {
        return PolicyView.full(described.version(), described.drlSources(), described.rules());
    }
}
