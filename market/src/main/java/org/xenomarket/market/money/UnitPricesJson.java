package org.xenomarket.market.money;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Unit prices as the API shows them. */
public record UnitPricesJson(
        @Schema(description = "per vCPU-hour") MoneyJson vcpuHour,
        @Schema(description = "per GiB-hour of memory") MoneyJson memoryGibHour,
        @Schema(description = "per GiB-hour of disk") MoneyJson diskGibHour,
        @Schema(description = "per GB sent out") MoneyJson egressGb) {

    public static UnitPricesJson of(UnitPrices prices, String currency) {
        return new UnitPricesJson(MoneyJson.of(prices.vcpuHour, currency), MoneyJson.of(prices.memoryGibHour, currency),
                MoneyJson.of(prices.diskGibHour, currency), MoneyJson.of(prices.egressGb, currency));
    }
}
