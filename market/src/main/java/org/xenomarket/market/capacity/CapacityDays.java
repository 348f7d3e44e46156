package org.xenomarket.market.capacity;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.xenomarket.pricing.ResourceVector;

/**
 * Amounts per (server, UTC day), one array element per hour of the day: the shape of a
 * {@code capacity_day} row. Windows are added hour by hour and summed here, so the database is asked
 * once per server-day however many leases share it, as SQL parameters: one array per column, each
 * day's hours as an array literal (cheaper for PostgreSQL to cast than to build from hour rows: the
 * first form measured, building the days in SQL from the windows, took as long as the hour rows did).
 */
public final class CapacityDays {

    static final int HOURS = 24;

    private record Key(UUID serverId, long epochDay) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::serverId).thenComparingLong(Key::epochDay);

    private final Map<Key, long[][]> days = new TreeMap<>(ORDER);

    /** Adds the amounts to every hour of the window on the server. */
    public CapacityDays add(UUID serverId, ResourceVector amounts, CapacityWindow window) {
        return add(serverId, amounts, window, 1);
    }

    /** Takes the amounts off every hour of the window on the server: what a release adds. */
    public CapacityDays subtract(UUID serverId, ResourceVector amounts, CapacityWindow window) {
        return add(serverId, amounts, window, -1);
    }

    private CapacityDays add(UUID serverId, ResourceVector amounts, CapacityWindow window, long sign) {
        // UTC day and hour by arithmetic on the epoch hour: a round adds some 1.5 million hours, and
        // through OffsetDateTime each cost a zone lookup (a tenth of the booking phase's market CPU in JFR)
        long firstHour = Math.floorDiv(window.firstBucket().getEpochSecond(), 3_600L);
        long[][] day = null;
        long dayOf = Long.MIN_VALUE;
        for (int b = 0; b < window.buckets(); b++) {
            long hour = firstHour + b;
            long epochDay = Math.floorDiv(hour, HOURS);
            if (epochDay != dayOf) {
                dayOf = epochDay;
                day = days.computeIfAbsent(new Key(serverId, epochDay), k -> new long[3][HOURS]);
            }
            int i = (int) Math.floorMod(hour, HOURS);
            day[0][i] += sign * amounts.vcpus();
            day[1][i] += sign * amounts.memoryMib();
            day[2][i] += sign * amounts.diskGib();
        }
        return this;
    }

    public int size() {
        return days.size();
    }

    /** The server-days as SQL parameters: ids, ISO days, and per day the vCPU, memory and disk hour arrays. */
    public Parameters parameters() {
        int n = days.size();
        Parameters p = new Parameters(new UUID[n], new String[n], new String[n], new String[n], new String[n]);
        int row = 0;
        for (Map.Entry<Key, long[][]> e : days.entrySet()) {
            p.serverIds[row] = e.getKey().serverId();
            p.days[row] = LocalDate.ofEpochDay(e.getKey().epochDay()).toString();
            p.vcpus[row] = literal(e.getValue()[0]);
            p.memoryMib[row] = literal(e.getValue()[1]);
            p.diskGib[row] = literal(e.getValue()[2]);
            row++;
        }
        return p;
    }

    /** One array per column of the server-days, in (server, day) order. */
    public record Parameters(UUID[] serverIds, String[] days, String[] vcpus, String[] memoryMib, String[] diskGib) {
    }

    static String literal(long[] hours) {
        StringBuilder text = new StringBuilder(HOURS * 3).append('{');
        for (int i = 0; i < hours.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(hours[i]);
        }
        return text.append('}').toString();
    }

    /** The server-days of many reservations, summed. */
    public static CapacityDays of(List<CapacityRepository.Reservation> reservations) {
        CapacityDays days = new CapacityDays();
        for (CapacityRepository.Reservation r : reservations) {
            days.add(r.serverId(), r.amounts(), r.window());
        }
        return days;
    }
}
