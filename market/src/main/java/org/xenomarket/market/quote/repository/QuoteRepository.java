package org.xenomarket.market.quote.repository;

import static org.xenomarket.market.database.Timestamps.utc;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.quote.Quote;

/** Stored quotes. */
@ApplicationScoped
public class QuoteRepository implements PanacheRepositoryBase<Quote, UUID> {

    /** A stored price sheet (V79): the policy version, as of when, and the server as the rules saw it. */
    public record StoredSheet(String policyVersion, java.time.Instant asOf, io.vertx.core.json.JsonObject snapshot) {
    }

    /** The price sheet a round's quote references. */
    public Uni<StoredSheet> sheetOf(UUID sheetId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT policy_version, as_of, CAST(snapshot AS text) FROM price_sheet WHERE id = :id", Object[].class)
                .setParameter("id", sheetId)
                .getSingleResult())
                .map(row -> new StoredSheet((String) row[0], instantOf(row[1]),
                        new io.vertx.core.json.JsonObject((String) row[2])));
    }

    private static java.time.Instant instantOf(Object value) {
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.time.LocalDateTime local) {
            return local.toInstant(java.time.ZoneOffset.UTC);
        }
        return (java.time.Instant) value;
    }

    /*
     * Quotes that reference their price sheet (V79), many in one statement: the rows come as one array per
     * column, unnested together, so a batch is one round trip and, as one statement, stored whole or not at
     * all. Such a quote is one row: no breakdown, client places or accelerators (see QuoteSheets).
     */
    private static final String INSERT_REFERENCING_SHEETS = """
            INSERT INTO quote (id, sponsor_id, server_id, service_class, vcpus, memory_mib, disk_gib,
                expected_egress_gb, start_at, duration_hours, currency, unit_vcpu_hour, unit_memory_gib_hour,
                unit_disk_gib_hour, unit_egress_gb, price_per_hour, total, policy_version, valid_until, created_at,
                price_sheet_id, priced_reserved_vcpus, priced_reserved_memory_mib, priced_reserved_disk_gib)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::integer[], $6::bigint[],
                $7::bigint[], $8::bigint[], $9::timestamptz[], $10::integer[], $11::text[], $12::numeric[],
                $13::numeric[], $14::numeric[], $15::numeric[], $16::numeric[], $17::numeric[], $18::text[],
                $19::timestamptz[], $20::timestamptz[], $21::uuid[], $22::integer[], $23::bigint[], $24::bigint[])
            """;

    /**
     * Stores quotes that reference their price sheet ({@link Quote#priceSheetId} set, no breakdown rows, client
     * places or accelerators) in one statement on {@code client}, outside any Hibernate session; all or none.
     */
    public Uni<Void> insertReferencingSheets(SqlClient client, List<Quote> all) {
        int n = all.size();
        UUID[] id = new UUID[n], sponsor = new UUID[n], server = new UUID[n], sheet = new UUID[n];
        String[] serviceClass = new String[n], currency = new String[n], policy = new String[n];
        Integer[] vcpus = new Integer[n], hours = new Integer[n], pricedVcpus = new Integer[n];
        Long[] memory = new Long[n], disk = new Long[n], egress = new Long[n], pricedMemory = new Long[n],
                pricedDisk = new Long[n];
        OffsetDateTime[] start = new OffsetDateTime[n], validUntil = new OffsetDateTime[n],
                created = new OffsetDateTime[n];
        Numeric[] vcpuHour = new Numeric[n], memoryHour = new Numeric[n], diskHour = new Numeric[n],
                egressGb = new Numeric[n], perHour = new Numeric[n], total = new Numeric[n];
        for (int i = 0; i < n; i++) {
            Quote q = all.get(i);
            if (q.priceSheetId == null || !q.breakdown.isEmpty() || !q.clientPlaces.isEmpty()
                    || q.acceleratorModel != null) {
                throw new IllegalArgumentException("quote " + q.id + " does not reference its price sheet alone");
            }
            id[i] = q.id;
            sponsor[i] = q.sponsorId;
            server[i] = q.serverId;
            serviceClass[i] = q.serviceClass.name();
            vcpus[i] = q.resources.vcpus;
            memory[i] = q.resources.memoryMib;
            disk[i] = q.resources.diskGib;
            egress[i] = q.expectedEgressGb;
            start[i] = utc(q.startAt);
            hours[i] = q.durationHours;
            currency[i] = q.currency;
            // exact decimals as PostgreSQL numerics, never through a double
            vcpuHour[i] = Numeric.create(q.unitPrices.vcpuHour);
            memoryHour[i] = Numeric.create(q.unitPrices.memoryGibHour);
            diskHour[i] = Numeric.create(q.unitPrices.diskGibHour);
            egressGb[i] = Numeric.create(q.unitPrices.egressGb);
            perHour[i] = Numeric.create(q.pricePerHour);
            total[i] = Numeric.create(q.total);
            policy[i] = q.policyVersion;
            validUntil[i] = utc(q.validUntil);
            created[i] = utc(q.createdAt);
            sheet[i] = q.priceSheetId;
            pricedVcpus[i] = q.pricedReserved.vcpus;
            pricedMemory[i] = q.pricedReserved.memoryMib;
            pricedDisk[i] = q.pricedReserved.diskGib;
        }
        return client.preparedQuery(INSERT_REFERENCING_SHEETS).execute(Tuple.from(new Object[] {id, sponsor, server,
                serviceClass, vcpus, memory, disk, egress, start, hours, currency, vcpuHour, memoryHour, diskHour,
                egressGb, perHour, total, policy, validUntil, created, sheet, pricedVcpus, pricedMemory, pricedDisk}))
                .replaceWithVoid();
    }

    public Uni<Quote> findOfSponsor(UUID id, UUID sponsorId) {
        return find("id = ?1 and sponsorId = ?2", id, sponsorId).firstResult();
    }
}
