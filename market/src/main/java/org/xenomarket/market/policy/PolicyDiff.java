package org.xenomarket.market.policy;

import java.util.List;
import java.util.Map;

/** What changed from one version to another: unified diffs of the tables and of each DRL source that differs. */
public record PolicyDiff(String from, String to, List<String> tables, Map<String, List<String>> drlSources) {
}
