package org.xenomarket.market.policy;

import java.util.Map;

/**
 * A new policy version to store as a draft: based on {@code basedOn} (null: the active version),
 * with other DRL sources, tables (JSON) or golden quotes (JSON) where given, the base version's
 * where null.
 */
public record PolicyDraft(String version, String basedOn, String note, Map<String, String> drlSources,
                          String tablesJson, String goldenQuotesJson) {
}
