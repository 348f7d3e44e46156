package org.xenomarket.pricing;

/** A rule of a compiled policy: its name (as breakdowns show it) and its one-line description for finance. */
public record RuleDescription(String name, String description) {
}
