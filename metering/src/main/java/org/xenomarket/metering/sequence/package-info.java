/** Per-node sequence numbers that survive restarts. */
package org.xenomarket.metering.sequence;
