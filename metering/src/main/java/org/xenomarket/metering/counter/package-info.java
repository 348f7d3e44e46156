/** Hypervisor counter samples to contiguous per-lease usage intervals, restarts handled. */
package org.xenomarket.metering.counter;
