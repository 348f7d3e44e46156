package org.xenomarket.market.clearing.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.lease.Lease;
import org.xenomarket.market.quote.ClientPlaceLine;
import org.xenomarket.market.quote.PriceEffectLine;
import org.xenomarket.market.quote.Quote;

/**
 * A clearing round's writes, set-based: each is one statement for a whole chunk of bookings, however
 * many, the rows given as one JSON array (parsed once by PostgreSQL's {@code jsonb_to_recordset}),
 * instead of one statement per row. Capacity and the bids' state have their own set-based
 * statements ({@code CapacityRepository.reserveAll}, {@code BidRepository.markAllMatched}).
 */
@ApplicationScoped
public class BulkBookingRepository {

;

    /*
     * Quotes and their leases in one statement: the quotes are inserted by a data-modifying CTE, whose
     * rows the leases' foreign key checks (run at the end of the statement) see. Every lease names its
     * quote and policy version; every quote its price sheet and the reservation it was priced at.
     * The rows come as one array per column, unnested together: ids as uuid[], everything else as text[]
     * cast by PostgreSQL (exact decimals as their plain strings, never through a double). Parsing a
     * chunk's 5,000 rows from one JSON document cost PostgreSQL some 0.85 s of CPU under load; the
     * same rows' casts from text arrays some 0.1 s.
     */
    private static final String INSERT_QUOTES_AND_LEASES = """
            WITH r AS (
                SELECT * FROM unnest(CAST(:lease_id AS uuid[]), CAST(:quote_id AS uuid[]), CAST(:bid_id AS uuid[]),
                    CAST(:sponsor_id AS uuid[]), CAST(:server_id AS uuid[]), CAST(:provider_id AS uuid[]),
                    CAST(:service_class AS text[]), CAST(CAST(:vcpus AS text[]) AS integer[]),
                    CAST(CAST(:memory_mib AS text[]) AS bigint[]), CAST(CAST(:disk_gib AS text[]) AS bigint[]),
                    CAST(CAST(:expected_egress_gb AS text[]) AS bigint[]),
                    CAST(CAST(:start_at AS text[]) AS timestamptz[]), CAST(CAST(:end_at AS text[]) AS timestamptz[]),
                    CAST(CAST(:duration_hours AS text[]) AS integer[]), CAST(:currency AS text[]),
                    CAST(CAST(:unit_vcpu_hour AS text[]) AS numeric[]),
                    CAST(CAST(:unit_memory_gib_hour AS text[]) AS numeric[]),
                    CAST(CAST(:unit_disk_gib_hour AS text[]) AS numeric[]),
                    CAST(CAST(:unit_egress_gb AS text[]) AS numeric[]),
                    CAST(CAST(:price_per_hour AS text[]) AS numeric[]), CAST(CAST(:total AS text[]) AS numeric[]),
                    CAST(:policy_version AS text[]), CAST(CAST(:valid_until AS text[]) AS timestamptz[]),
                    CAST(CAST(:quoted_at AS text[]) AS timestamptz[]),
                    CAST(CAST(:leased_at AS text[]) AS timestamptz[]), CAST(:price_sheet_id AS uuid[]),
                    CAST(CAST(:priced_vcpus AS text[]) AS integer[]),
                    CAST(CAST(:priced_memory_mib AS text[]) AS bigint[]),
                    CAST(CAST(:priced_disk_gib AS text[]) AS bigint[])) AS r(
                    lease_id, quote_id, bid_id, sponsor_id, server_id, provider_id,
                    service_class, vcpus, memory_mib, disk_gib, expected_egress_gb,
                    start_at, end_at, duration_hours, currency,
                    unit_vcpu_hour, unit_memory_gib_hour, unit_disk_gib_hour,
                    unit_egress_gb, price_per_hour, total, policy_version,
                    valid_until, quoted_at, leased_at, price_sheet_id,
                    priced_vcpus, priced_memory_mib, priced_disk_gib)
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

    /**
     * Stores each lease with its quote (quotes referencing their sheets, V79) and the quotes' client
     * places, in the caller's transaction; returns how many leases.
     */
    public Uni<Integer> insertQuotesAndLeases(List<Quote> quotes, List<Lease> leases) {
        if (leases.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int n = leases.size();
        Columns c = new Columns(n);
        JsonArray places = new JsonArray();
        JsonArray effects = new JsonArray();
        for (int i = 0; i < n; i++) {
            Quote q = quotes.get(i);
            Lease l = leases.get(i);
            c.leaseId[i] = l.id;
            c.quoteId[i] = q.id;
            c.bidId[i] = l.bidId;
            c.sponsorId[i] = l.sponsorId;
            c.serverId[i] = l.serverId;
            c.providerId[i] = l.providerId;
            c.serviceClass[i] = l.serviceClass.name();
            c.vcpus[i] = Integer.toString(l.resources.vcpus);
            c.memoryMib[i] = Long.toString(l.resources.memoryMib);
            c.diskGib[i] = Long.toString(l.resources.diskGib);
            c.expectedEgressGb[i] = Long.toString(q.expectedEgressGb);
            c.startAt[i] = l.startAt.toString();
            c.endAt[i] = l.endAt.toString();
            c.durationHours[i] = Integer.toString(q.durationHours);
            c.currency[i] = q.currency;
            // exact decimals as text, never through a double
            c.unitVcpuHour[i] = q.unitPrices.vcpuHour.toPlainString();
            c.unitMemoryGibHour[i] = q.unitPrices.memoryGibHour.toPlainString();
            c.unitDiskGibHour[i] = q.unitPrices.diskGibHour.toPlainString();
            c.unitEgressGb[i] = q.unitPrices.egressGb.toPlainString();
            c.pricePerHour[i] = q.pricePerHour.toPlainString();
            c.total[i] = q.total.toPlainString();
            c.policyVersion[i] = q.policyVersion;
            c.validUntil[i] = q.validUntil.toString();
            c.quotedAt[i] = q.createdAt.toString();
            c.leasedAt[i] = l.createdAt.toString();
            c.priceSheetId[i] = q.priceSheetId;
            c.pricedVcpus[i] = q.pricedReserved == null ? null : Integer.toString(q.pricedReserved.vcpus);
            c.pricedMemoryMib[i] = q.pricedReserved == null ? null : Long.toString(q.pricedReserved.memoryMib);
            c.pricedDiskGib[i] = q.pricedReserved == null ? null : Long.toString(q.pricedReserved.diskGib);
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
        Uni<Integer> inserted = Panache.getSession().chain(session -> c.bind(session.createNativeQuery(
                INSERT_QUOTES_AND_LEASES)).executeUpdate());
        if (!effects.isEmpty()) {
            inserted = inserted.call(() -> execute(INSERT_EFFECTS, effects));
        }
        return places.isEmpty() ? inserted : inserted.call(() -> execute(INSERT_CLIENT_PLACES, places));
    }

    /** The quote and lease rows of a chunk, one array per column of INSERT_QUOTES_AND_LEASES. */
    private static final class Columns {

        final UUID[] leaseId;
        final UUID[] quoteId;
        final UUID[] bidId;
        final UUID[] sponsorId;
        final UUID[] serverId;
        final UUID[] providerId;
        final UUID[] priceSheetId;
        final String[] serviceClass;
        final String[] vcpus;
        final String[] memoryMib;
        final String[] diskGib;
        final String[] expectedEgressGb;
        final String[] startAt;
        final String[] endAt;
        final String[] durationHours;
        final String[] currency;
        final String[] unitVcpuHour;
        final String[] unitMemoryGibHour;
        final String[] unitDiskGibHour;
        final String[] unitEgressGb;
        final String[] pricePerHour;
        final String[] total;
        final String[] policyVersion;
        final String[] validUntil;
        final String[] quotedAt;
        final String[] leasedAt;
        final String[] pricedVcpus;
        final String[] pricedMemoryMib;
        final String[] pricedDiskGib;

        Columns(int n) {
            leaseId = new UUID[n];
            quoteId = new UUID[n];
            bidId = new UUID[n];
            sponsorId = new UUID[n];
            serverId = new UUID[n];
            providerId = new UUID[n];
            priceSheetId = new UUID[n];
            serviceClass = new String[n];
            vcpus = new String[n];
            memoryMib = new String[n];
            diskGib = new String[n];
            expectedEgressGb = new String[n];
            startAt = new String[n];
            endAt = new String[n];
            durationHours = new String[n];
            currency = new String[n];
            unitVcpuHour = new String[n];
            unitMemoryGibHour = new String[n];
            unitDiskGibHour = new String[n];
            unitEgressGb = new String[n];
            pricePerHour = new String[n];
            total = new String[n];
            policyVersion = new String[n];
            validUntil = new String[n];
            quotedAt = new String[n];
            leasedAt = new String[n];
            pricedVcpus = new String[n];
            pricedMemoryMib = new String[n];
            pricedDiskGib = new String[n];
        }

        org.hibernate.reactive.mutiny.Mutiny.MutationQuery bind(org.hibernate.reactive.mutiny.Mutiny.MutationQuery query) {
            query.setParameter("lease_id", leaseId).setParameter("quote_id", quoteId).setParameter("bid_id", bidId)
                    .setParameter("sponsor_id", sponsorId).setParameter("server_id", serverId)
                    .setParameter("provider_id", providerId).setParameter("service_class", serviceClass)
                    .setParameter("vcpus", vcpus).setParameter("memory_mib", memoryMib)
                    .setParameter("disk_gib", diskGib).setParameter("expected_egress_gb", expectedEgressGb)
                    .setParameter("start_at", startAt).setParameter("end_at", endAt)
                    .setParameter("duration_hours", durationHours).setParameter("currency", currency)
                    .setParameter("unit_vcpu_hour", unitVcpuHour).setParameter("unit_memory_gib_hour", unitMemoryGibHour)
                    .setParameter("unit_disk_gib_hour", unitDiskGibHour).setParameter("unit_egress_gb", unitEgressGb)
                    .setParameter("price_per_hour", pricePerHour).setParameter("total", total)
                    .setParameter("policy_version", policyVersion).setParameter("valid_until", validUntil)
                    .setParameter("quoted_at", quotedAt).setParameter("leased_at", leasedAt)
                    .setParameter("price_sheet_id", priceSheetId).setParameter("priced_vcpus", pricedVcpus)
                    .setParameter("priced_memory_mib", pricedMemoryMib).setParameter("priced_disk_gib", pricedDiskGib);
            return query;
        }
    }

    private static Uni<Integer> execute(String sql, JsonArray rows) {
        return Panache.getSession().chain(session -> session.createNativeQuery(sql)
                .setParameter("rows", rows.encode())
                .executeUpdate());
    }
}
