package org.xenomarket.market.clearing.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.capacity.CapacityDays;
import org.xenomarket.market.capacity.CapacityWindow;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.pricing.ResourceVector;

/**
 * Makes best-effort leases as a clearing round would: the bid (MATCHED), the quote, the lease and
 * its hourly capacity, in one transaction. Clearing rounds are another part of the market; tests of
 * pre-emption only need the leases a round leaves behind.
 */
@ApplicationScoped
public class BestEffortLeases {

    private final AgroalDataSource dataSource;

    public BestEffortLeases(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A best-effort lease of the resources on the server over [start, end) at the price per hour; returns its id. */
    public UUID insert(UUID sponsorId, UUID serverId, int vcpus, long memoryMib, long diskGib, Instant start,
                       Instant end, String pricePerHour) {
        UUID bidId = TimeOrderedId.next();
        UUID quoteId = TimeOrderedId.next();
        UUID leaseId = TimeOrderedId.next();
        BigDecimal price = new BigDecimal(pricePerHour);
        int hours = (int) Math.max(1, java.time.Duration.between(start, end).toHours());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                exec(connection, """
                        INSERT INTO bid (id, sponsor_id, request_fingerprint, service_class, vcpus, memory_mib, disk_gib,
                            near_latitude, near_longitude, within_km, start_at, duration_hours, currency,
                            max_price_per_hour, state, state_reason, expires_at)
                        VALUES (?, ?, '\\x00', 'BEST_EFFORT', ?, ?, ?, 0, 0, 1, ?, ?, 'EUR', ?, 'MATCHED',
                            'Matched in a clearing round.', ?)""",
                        bidId, sponsorId, vcpus, memoryMib, diskGib, Timestamp.from(start), hours, price,
                        Timestamp.from(start));
                exec(connection, """
                        INSERT INTO quote (id, sponsor_id, server_id, service_class, vcpus, memory_mib, disk_gib,
                            expected_egress_gb, start_at, duration_hours, currency, unit_vcpu_hour, unit_memory_gib_hour,
                            unit_disk_gib_hour, unit_egress_gb, price_per_hour, total, policy_version, valid_until)
                        VALUES (?, ?, ?, 'BEST_EFFORT', ?, ?, ?, 0, ?, ?, 'EUR', ?, 0, 0, 0, ?, ?, 'test', ?)""",
                        quoteId, sponsorId, serverId, vcpus, memoryMib, diskGib, Timestamp.from(start), hours,
                        price.divide(BigDecimal.valueOf(vcpus), 6, java.math.RoundingMode.HALF_EVEN), price,
                        price.multiply(BigDecimal.valueOf(hours)).setScale(2, java.math.RoundingMode.HALF_EVEN),
                        Timestamp.from(start));
                exec(connection, """
                        INSERT INTO lease (id, bid_id, quote_id, sponsor_id, server_id, provider_id, service_class,
                            vcpus, memory_mib, disk_gib, start_at, end_at, currency, unit_vcpu_hour, unit_memory_gib_hour,
                            unit_disk_gib_hour, unit_egress_gb, price_per_hour, policy_version, state)
                        SELECT ?, ?, ?, ?, s.id, s.provider_id, 'BEST_EFFORT', ?, ?, ?, ?, ?, 'EUR', ?, 0, 0, 0, ?,
                            'test', ?
                        FROM server s WHERE s.id = ?""",
                        leaseId, bidId, quoteId, sponsorId, vcpus, memoryMib, diskGib, Timestamp.from(start),
                        Timestamp.from(end), price.divide(BigDecimal.valueOf(vcpus), 6, java.math.RoundingMode.HALF_EVEN),
                        price, start.isAfter(Instant.now()) ? "PENDING" : "RUNNING", serverId);
                // The same upsert as CapacityRepository.reserve (per server-day, the day's hours as arrays).
                CapacityDays.Parameters days = new CapacityDays()
                        .add(serverId, new ResourceVector(vcpus, memoryMib, diskGib), CapacityWindow.covering(start, end))
                        .parameters();
                int touched = 0;
                for (int d = 0; d < days.days().length; d++) {
                    touched += exec(connection, """
                            INSERT INTO capacity_day AS held (server_id, day, capacity_vcpus, capacity_memory_mib,
                                capacity_disk_gib, reserved_vcpus, reserved_memory_mib, reserved_disk_gib)
                            SELECT s.id, CAST(? AS date), s.vcpus, s.memory_mib, s.disk_gib, CAST(? AS integer[]),
                                CAST(? AS bigint[]), CAST(? AS bigint[])
                            FROM server s WHERE s.id = ?
                            ON CONFLICT (server_id, day) DO UPDATE
                            SET reserved_vcpus = hours_plus(held.reserved_vcpus, excluded.reserved_vcpus),
                                reserved_memory_mib = hours_plus(held.reserved_memory_mib, excluded.reserved_memory_mib),
                                reserved_disk_gib = hours_plus(held.reserved_disk_gib, excluded.reserved_disk_gib)""",
                            days.days()[d], days.vcpus()[d], days.memoryMib()[d], days.diskGib()[d], serverId);
                }
                if (touched == 0) {
                    throw new IllegalStateException("no capacity slot booked for " + leaseId);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return leaseId;
    }

    private static int exec(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
