package org.xenomarket.market.clearing.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.pricing.PriceSheetSnapshot;
import org.xenomarket.market.quote.ClientPlaceLine;
import org.xenomarket.market.quote.PriceEffectLine;
import org.xenomarket.market.quote.Quote;
import org.xenomarket.pricing.PriceSheet;

/**
 * A clearing round's writes, set-based: each is one statement for a whole chunk of bookings, however
 * many, the rows given as one JSON array (parsed once by PostgreSQL's {@code jsonb_to_recordset}),
 * instead of one statement per row. Capacity and the bids' state have their own set-based
 * statements ({@code CapacityRepository.reserveAll}, {@code BidRepository.markAllMatched}).
 */
@ApplicationScoped
public class BulkBookingRepository {

    private static final String INSERT_SHEETS = """
            INSERT INTO price_sheet (id, server_id, policy_version, as_of, snapshot)
            SELECT r.id, r.server_id, r.policy_version, r.as_of, r.snapshot
            FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb))
                AS r(id uuid, server_id uuid, policy_version text, as_of timestamptz, snapshot jsonb)
            """;

    /*
     * Quotes and their leases in one statement: the quotes are inserted by a data-modifying CTE, whose
     * rows the leases' foreign key checks (run at the end of the statement) see. Every lease names its
     * quote and policy version; every quote its price sheet and the reservation it was priced at.
     */
    private static final String INSERT_QUOTES_AND_LEASES = """
            WITH r AS (
                SELECT * FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS r(
                    lease_id uuid, quote_id uuid, bid_id uuid, sponsor_id uuid, server_id uuid, provider_id uuid,
                    service_class text, vcpus integer, memory_mib bigint, disk_gib bigint, expected_egress_gb bigint,
                    start_at timestamptz, end_at timestamptz, duration_hours integer, currency text,
                    unit_vcpu_hour numeric, unit_memory_gib_hour numeric, unit_disk_gib_hour numeric,
                    unit_egress_gb numeric, price_per_hour numeric, total numeric, policy_version text,
                    valid_until timestamptz, quoted_at timestamptz, leased_at timestamptz, price_sheet_id uuid,
                    priced_vcpus integer, priced_memory_mib bigint, priced_disk_gib bigint)
            ), quotes AS (
                INSERT INTO quote (id, sponsor_id, server_id, service_class, vcpus, memory_mib, disk_gib,
                    expected_egress_gb, start_at, duration_hours, currency, unit_vcpu_hour, unit_memory_gib_hour,
                    unit_disk_gib_hour, unit_egress_gb, price_per_hour, total, policy_version, valid_until, created_at,
                    price_sheet_id, priced_reserved_vcpus, priced_reserved_memory_mib, priced_reserved_disk_gib)
                SELECT quote_id, sponsor_id, server_id, service_class, vcpus, memory_mib, disk_gib,
                    expected_egress_gb, start_at, duration_hours, currency, unit_vcpu_hour, unit_memory_gib_hour,
                    unit_disk_gib_hour, unit_egress_gb, price_per_hour, total, policy_version, valid_until, quoted_at,
                    price_sheet_id, priced_vcpus, priced_memory_mib, priced_disk_gib
                FROM r
            )
            INSERT INTO lease (id, bid_id, quote_id, sponsor_id, server_id, provider_id, service_class, vcpus,
                memory_mib, disk_gib, start_at, end_at, currency, unit_vcpu_hour, unit_memory_gib_hour,
                unit_disk_gib_hour, unit_egress_gb, price_per_hour, policy_version, state, created_at)
            SELECT lease_id, bid_id, quote_id, sponsor_id, server_id, provider_id, service_class, vcpus,
                memory_mib, disk_gib, start_at, end_at, currency, unit_vcpu_hour, unit_memory_gib_hour,
                unit_disk_gib_hour, unit_egress_gb, price_per_hour, policy_version, 'PENDING', leased_at
            FROM r
            """;

    private static final String INSERT_CLIENT_PLACES = """
            INSERT INTO quote_client_place (quote_id, position, latitude, longitude, egress_gb)
            SELECT r.quote_id, r.position, r.latitude, r.longitude, r.egress_gb
            FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb))
                AS r(quote_id uuid, position integer, latitude double precision, longitude double precision,
                     egress_gb bigint)
            """;

    private static final String INSERT_EFFECTS = """
            INSERT INTO quote_price_effect (quote_id, position, rule, resource, effect, reason)
            SELECT r.quote_id, r.position, r.rule, r.resource, r.effect, r.reason
            FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb))
                AS r(quote_id uuid, position integer, rule text, resource text, effect text, reason text)
            """;

    /** Stores the sheets (by the ids given) in the caller's transaction; returns how many. */
    public Uni<Integer> insertSheets(Map<UUID, PriceSheet> sheetsById) {
        if (sheetsById.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        JsonArray rows = new JsonArray();
        sheetsById.forEach((id, sheet) -> rows.add(new JsonObject()
                .put("id", id.toString())
                .put("server_id", sheet.serverId())
                .put("policy_version", sheet.policyVersion())
                .put("as_of", sheet.asOf().toString())
                .put("snapshot", PriceSheetSnapshot.toJson(sheet))));
        return execute(INSERT_SHEETS, rows);
    }

    /**
     * Stores each lease with its quote (quotes referencing their sheets, V79) and the quotes' client
     * places, in the caller's transaction; returns how many leases.
     */
    public Uni<Integer> insertQuotesAndLeases(List<Quote> quotes, List<Lease> leases) {
        if (leases.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        JsonArray rows = new JsonArray();
        JsonArray places = new JsonArray();
        JsonArray effects = new JsonArray();
        for (int i = 0; i < leases.size(); i++) {
            Quote q = quotes.get(i);
            Lease l = leases.get(i);
            rows.add(new JsonObject()
                    .put("lease_id", l.id.toString()).put("quote_id", q.id.toString()).put("bid_id", l.bidId.toString())
                    .put("sponsor_id", l.sponsorId.toString()).put("server_id", l.serverId.toString())
                    .put("provider_id", l.providerId.toString()).put("service_class", l.serviceClass.name())
                    .put("vcpus", l.resources.vcpus).put("memory_mib", l.resources.memoryMib)
                    .put("disk_gib", l.resources.diskGib).put("expected_egress_gb", q.expectedEgressGb)
                    .put("start_at", l.startAt.toString()).put("end_at", l.endAt.toString())
                    .put("duration_hours", q.durationHours).put("currency", q.currency)
                    // exact decimals as text, never through a double
                    .put("unit_vcpu_hour", q.unitPrices.vcpuHour.toPlainString())
                    .put("unit_memory_gib_hour", q.unitPrices.memoryGibHour.toPlainString())
                    .put("unit_disk_gib_hour", q.unitPrices.diskGibHour.toPlainString())
                    .put("unit_egress_gb", q.unitPrices.egressGb.toPlainString())
                    .put("price_per_hour", q.pricePerHour.toPlainString()).put("total", q.total.toPlainString())
                    .put("policy_version", q.policyVersion).put("valid_until", q.validUntil.toString())
                    .put("quoted_at", q.createdAt.toString()).put("leased_at", l.createdAt.toString())
                    .put("price_sheet_id", q.priceSheetId == null ? null : q.priceSheetId.toString())
                    .put("priced_vcpus", q.pricedReserved == null ? null : q.pricedReserved.vcpus)
                    .put("priced_memory_mib", q.pricedReserved == null ? null : q.pricedReserved.memoryMib)
                    .put("priced_disk_gib", q.pricedReserved == null ? null : q.pricedReserved.diskGib));
            // a quote priced without a stored sheet keeps its breakdown rows
            for (int e = 0; e < q.breakdown.size(); e++) {
                PriceEffectLine line = q.breakdown.get(e);
                effects.add(new JsonObject().put("quote_id", q.id.toString()).put("position", e)
                        .put("rule", line.rule).put("resource", line.resource).put("effect", line.effect)
                        .put("reason", line.reason));
            }
            for (int p = 0; p < q.clientPlaces.size(); p++) {
                ClientPlaceLine place = q.clientPlaces.get(p);
                places.add(new JsonObject().put("quote_id", q.id.toString()).put("position", p)
                        .put("latitude", place.latitude).put("longitude", place.longitude)
                        .put("egress_gb", place.egressGb));
            }
        }
        Uni<Integer> inserted = execute(INSERT_QUOTES_AND_LEASES, rows);
        if (!effects.isEmpty()) {
            inserted = inserted.call(() -> execute(INSERT_EFFECTS, effects));
        }
        return places.isEmpty() ? inserted : inserted.call(() -> execute(INSERT_CLIENT_PLACES, places));
    }

    private static Uni<Integer> execute(String sql, JsonArray rows) {
        return Panache.getSession().chain(session -> session.createNativeQuery(sql)
                .setParameter("rows", rows.encode())
                .executeUpdate());
    }
}
