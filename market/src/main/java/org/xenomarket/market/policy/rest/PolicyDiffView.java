package org.xenomarket.market.policy.rest;

import java.util.List;
import java.util.Map;

/** What changed from one version to another: unified diffs of the tables and of each DRL source. */
public record PolicyDiffView(String from, String to, List<String> tables, Map<String, List<String>> drlSources) {
}
