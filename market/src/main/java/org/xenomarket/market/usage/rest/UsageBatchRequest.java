package org.xenomarket.market.usage.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.xenomarket.metering.record.UsageRecordWire;

/** A batch of signed usage records from a node agent, at most 1,000. */
public record UsageBatchRequest(@NotNull @Size(min = 1, max = 1000) List<UsageRecordWire> records) {
}
