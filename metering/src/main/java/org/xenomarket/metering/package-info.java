/**
 * Metering: hypervisor counters become signed, numbered usage records, spooled durably on the
 * node and uploaded to the market exactly once.
 */
package org.xenomarket.metering;
