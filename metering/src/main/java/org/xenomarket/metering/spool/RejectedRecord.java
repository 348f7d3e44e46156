package org.xenomarket.metering.spool;

import org.xenomarket.metering.record.UsageRecord;

/** A record the market refused, with the reason it gave. */
public record RejectedRecord(UsageRecord record, String reason) {
}
