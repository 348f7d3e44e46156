package org.xenomarket.market.policy.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.policy.PolicyState;
import org.xenomarket.market.policy.PolicyVersion;
import org.xenomarket.pricing.RuleDescription;

/** A policy version as the API shows it; sources, tables and rules only when one version is asked for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyView(String version, PolicyState state, String basedOn, String checksum, UUID authorId,
                         String note, Instant createdAt, Instant activatedAt, Instant retiredAt,
                         Map<String, String> drlSources, @JsonRawValue String tables, List<RuleDescription> rules) {

    public static PolicyView summary(PolicyVersion v) {
        return new PolicyView(v.version, v.state, v.basedOn, v.checksum, v.authorId, v.note, v.createdAt,
                v.activatedAt, v.retiredAt, null, null, null);
    }

    public static PolicyView full(PolicyVersion v, Map<String, String> drlSources, List<RuleDescription> rules) {
        return new PolicyView(v.version, v.state, v.basedOn, v.checksum, v.authorId, v.note, v.createdAt,
                v.activatedAt, v.retiredAt, drlSources, v.tables, rules);
    }
}
