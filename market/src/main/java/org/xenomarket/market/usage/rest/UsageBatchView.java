package org.xenomarket.market.usage.rest;

import java.util.List;
import org.xenomarket.market.usage.service.UsageIngestion;

/** Per record of a batch, in the batch's order: accepted, a duplicate, or rejected and why. */
public record UsageBatchView(int accepted, int duplicates, int rejected, List<UsageIngestion.Result> results) {

    static UsageBatchView of(List<UsageIngestion.Result> results) {
        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        for (UsageIngestion.Result r : results) {
            switch (r.outcome()) {
                case ACCEPTED -> accepted++;
                case DUPLICATE -> duplicates++;
                case REJECTED -> rejected++;
            }
        }
        return new UsageBatchView(accepted, duplicates, rejected, results);
    }
}
