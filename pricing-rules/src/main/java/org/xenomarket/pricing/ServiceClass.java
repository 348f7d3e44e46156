package org.xenomarket.pricing;

/** How firmly capacity is held: reserved for the lease, or pre-emptible best effort. */
public enum ServiceClass {
    RESERVED,
    BEST_EFFORT
}
