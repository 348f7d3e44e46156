package org.xenomarket.market.usage.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.xenomarket.metering.record.UsageRecordWire;

/**
 * A batch of signed usage records from a node agent, at most {@value #MAX_RECORDS}: about 4.5 MB of
 * JSON, under the market's request limit ({@code quarkus.http.limits.max-body-size}).
 */
public record UsageBatchRequest(@NotNull @Size(min = 1, max = MAX_RECORDS) List<UsageRecordWire> records) {

    /** Large enough that a batch's fixed cost (a few statements) vanishes beside its records. */
    public static final int MAX_RECORDS = 10_000;
}
