package org.xenomarket.portal.provider;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.xenomarket.portal.chart.Chart;
import org.xenomarket.portal.home.Pages;
import org.xenomarket.portal.market.MarketApi;
import org.xenomarket.portal.session.CurrentSession;

/**
 * A provider's week at a glance: each server's node status and CPU use per hour (from the usage its
 * node agents reported), and its earnings and payouts from the market's payouts report.
 */
@Path("/provider/earnings")
@Produces(MediaType.TEXT_HTML)
public class EarningsPage {

    static final int DAYS = 7;
    private static final BigDecimal NANOS_PER_VCPU_HOUR = BigDecimal.valueOf(3_600_000_000_000L);

    private final MarketApi market;
    private final CurrentSession current;
    private final Pages pages;
    private final Template earnings;

    public EarningsPage(@RestClient MarketApi market, CurrentSession current, Pages pages,
                        @Location("provider/earnings.html") Template earnings) {
        this.market = market;
        this.current = current;
        this.pages = pages;
        this.earnings = earnings;
    }

    @GET
    @SuppressWarnings("unchecked")
    public TemplateInstance show() {
        String bearer = current.bearer();
        List<Map<String, Object>> servers = (List<Map<String, Object>>) market.servers(bearer, 200).get("items");
        Map<String, Object> payouts = market.report(bearer, "payouts", null, null, null, null);
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        Instant from = to.minus(DAYS, ChronoUnit.DAYS);
        TreeMap<Long, Map<String, BigDecimal>> byHour = new TreeMap<>();
        for (long h = from.getEpochSecond(); h < to.getEpochSecond(); h += 3600) {
            byHour.put(h, new java.util.HashMap<>());
        }
        for (Map<String, Object> server : servers) {
            String id = String.valueOf(server.get("id"));
            long vcpus = ((Number) ((Map<String, Object>) server.get("capacity")).get("vcpus")).longValue();
            for (Map<String, Object> hour : market.serverUsage(bearer, id, from.toString(), to.toString())) {
                long at = Instant.parse(String.valueOf(hour.get("hour"))).getEpochSecond();
                BigDecimal share = new BigDecimal(String.valueOf(hour.get("cpuNanos"))).multiply(BigDecimal.valueOf(100))
                        .divide(NANOS_PER_VCPU_HOUR.multiply(BigDecimal.valueOf(vcpus)), 2, RoundingMode.HALF_UP);
                byHour.computeIfAbsent(at, h -> new java.util.HashMap<>()).merge(id, share, BigDecimal::add);
            }
        }
        List<Chart.Series> series = new ArrayList<>();
        for (Map<String, Object> server : servers) {
            String id = String.valueOf(server.get("id"));
            series.add(new Chart.Series(String.valueOf(server.get("name")),
                    byHour.values().stream().map(m -> (Number) m.getOrDefault(id, BigDecimal.ZERO)).toList()));
        }
        Chart utilisation = Chart.lines("CPU used as a share of each server's vCPUs, per hour, last " + DAYS + " days (%)",
                new ArrayList<>(byHour.keySet()), series);
        return pages.of(earnings, "Utilisation and earnings").data("servers", servers).data("payouts", payouts)
                .data("utilisation", utilisation).data("earningsChart", earningsChart(payouts));
    }

    @SuppressWarnings("unchecked")
    private static Chart earningsChart(Map<String, Object> payouts) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) payouts.get("rows");
        if (rows == null || rows.isEmpty()) {
            return null;
        }
        List<String> currencies = rows.stream().map(r -> String.valueOf(r.get("currency"))).toList();
        List<Chart.Series> series = new ArrayList<>();
        for (String column : List.of("earned_minor", "paid_out_minor", "due_minor")) {
            series.add(new Chart.Series(column.replace("_minor", "").replace('_', ' '), rows.stream()
                    .map(r -> (Number) major(r.get(column), String.valueOf(r.get("currency")))).toList()));
        }
        return Chart.bars("Earned, paid out and due, by currency", currencies, series);
    }

    private static BigDecimal major(Object minor, String currency) {
        if (minor == null) {
            return BigDecimal.ZERO;
        }
        return new BigDecimal(String.valueOf(minor)).movePointLeft(Currency.getInstance(currency).getDefaultFractionDigits());
    }
}
