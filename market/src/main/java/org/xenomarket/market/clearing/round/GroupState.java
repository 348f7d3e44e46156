package org.xenomarket.market.clearing.round;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.xenomarket.pricing.QuoteRequest;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/**
 * What one group of a round (see {@link GroupRound}) knows and has decided so far: its servers with
 * their capacity and what is reserved on each, its bids in the round's priority order, and which bid
 * sits on which server at what price. The placing, repair and settling of the group all read and
 * change this one state; nothing in it is shared with another group.
 */
final class GroupState {

    /**
     * What ranks servers before exact pricing: the server's price for a small standard request (1 vCPU,
     * 2 GiB, 10 GiB for an hour) at its current reservation. It follows each server's own prices and
     * utilisation, so the cheapest server for a bid is nearly always among the best ranked.
     */
    private static final RoundBid INDEX_PROBE = new RoundBid(new UUID(0, 0),
            new QuoteRequest(new ResourceVector(1, 2_048, 10), 0, ServiceClass.RESERVED,
                    Instant.parse("2026-01-05T03:00:00Z"), Duration.ofHours(1), null),
            0, 0, 1, 1, Instant.EPOCH);

    final List<RoundServer> servers;
    final ServerGrid grid;
    /** The servers grouped by site (same place): a scan walks sites, and skips those that cannot help. */
    final RoundSites sites;
    final int[] capVcpus;
    final long[] capMemory;
    final long[] capDisk;
    /** Each server's reliability score, minus infinity when it has none (see {@link RoundServer#reliability}). */
    final double[] reliability;
    /** What is reserved on each server so far in this round; replaced only when a bid is placed or moved. */
    final ResourceVector[] reserved;
    // the same amounts as primitives, for the room check of every server a scan visits
    final long[] reservedVcpus;
    final long[] reservedMemory;
    final long[] reservedDisk;
    /** The bids on each server (indices into {@link #ordered}) and how many. */
    final int[][] members;
    final int[] memberCount;
    /** Whether the repair pass moved a bid away from the server: only then are its bids' prices settled again. */
    final boolean[] movedFrom;
    /** Each server's rank key (see {@link #INDEX_PROBE}), kept current as bids are placed and moved. */
    final long[] index;

    /** The group's bids in the round's priority order, and each one's index in the whole round's order. */
    final RoundBid[] ordered;
    final int[] roundIndex;
    /**
     * The server each bid is on; -1 when open, or {@code -2 - s} when open above its max, remembering
     * the cheapest server {@code s} for the reason.
     */
    final int[] serverOf;
    final long[] sequence;
    final long[] price;
    final ResourceVector[] pricedAt;
    final UnmatchedCause[] cause;

    /**
     * @param given      the group's servers, in an order the whole round's numbering keeps (so ties between
     *                   servers break as they would in one group of everything)
     * @param roundOrder the whole round's bids in priority order; {@code bids} index into it, ascending
     */
    GroupState(List<RoundServer> given, RoundBid[] roundOrder, int[] bids) {
        this.servers = RoundSites.inSiteOrder(ServerGrid.inCellOrder(given));
        this.grid = new ServerGrid(servers);
        int n = servers.size();
        capVcpus = new int[n];
        capMemory = new long[n];
        capDisk = new long[n];
        reliability = new double[n];
        reserved = new ResourceVector[n];
        members = new int[n][];
        memberCount = new int[n];
        movedFrom = new boolean[n];
        index = new long[n];
        reservedVcpus = new long[n];
        reservedMemory = new long[n];
        reservedDisk = new long[n];
        for (int i = 0; i < n; i++) {
            RoundServer s = servers.get(i);
            reservedVcpus[i] = s.reserved().vcpus();
            reservedMemory[i] = s.reserved().memoryMib();
            reservedDisk[i] = s.reserved().diskGib();
            capVcpus[i] = s.capacity().vcpus();
            capMemory[i] = s.capacity().memoryMib();
            capDisk[i] = s.capacity().diskGib();
            reliability[i] = s.comparableReliability();
            reserved[i] = s.reserved();
            members[i] = new int[4];
            index[i] = s.pricing().pricePerHourMicros(INDEX_PROBE, s.reserved());
        }
        sites = new RoundSites(servers, index, capVcpus, capMemory, capDisk, reservedVcpus, reservedMemory,
                reservedDisk, reliability);
        int count = bids.length;
        roundIndex = bids;
        ordered = new RoundBid[count];
        for (int b = 0; b < count; b++) {
            ordered[b] = roundOrder[bids[b]];
        }
        serverOf = new int[count];
        sequence = new long[count];
        price = new long[count];
        pricedAt = new ResourceVector[count];
        cause = new UnmatchedCause[count];
    }

    int bidCount() {
        return ordered.length;
    }

    /** Whether the bid (a group index) was left open because every server in its reach was full. */
    boolean leftOpenForRoom(int b) {
        return serverOf[b] < 0 && cause[b] == UnmatchedCause.ALL_FULL;
    }

    /** Whether the bid (a group index) is open because every server in reach was full or above its max. */
    boolean openForRoomOrPrice(int b) {
        return serverOf[b] < 0 && (cause[b] == UnmatchedCause.ALL_FULL || cause[b] == UnmatchedCause.ABOVE_MAX);
    }

    /** Puts bid {@code b} on server {@code s} at price {@code p}, priced at the server's reservation before it. */
    void assign(int b, int s, long p, long sequenceNumber) {
        serverOf[b] = s;
        price[b] = p;
        pricedAt[b] = reserved[s];
        sequence[b] = sequenceNumber;
        reserved[s] = reserved[s].plus(ordered[b].demand());
        keepPrimitives(s);
        index[s] = servers.get(s).pricing().pricePerHourMicros(INDEX_PROBE, reserved[s]);
        sites.changed(s);
        if (memberCount[s] == members[s].length) {
            members[s] = Arrays.copyOf(members[s], memberCount[s] * 2);
        }
        members[s][memberCount[s]++] = b;
    }

    /** Takes bid {@code b} off server {@code s}, leaving it open until it is assigned again. */
    void unassign(int b, int s) {
        movedFrom[s] = true;
        reserved[s] = minus(reserved[s], ordered[b].demand());
        keepPrimitives(s);
        index[s] = servers.get(s).pricing().pricePerHourMicros(INDEX_PROBE, reserved[s]);
        sites.changed(s);
        for (int k = 0; k < memberCount[s]; k++) {
            if (members[s][k] == b) {
                members[s][k] = members[s][--memberCount[s]];
                break;
            }
        }
        serverOf[b] = -1;
    }

    /**
     * Writes the group's decisions into the round's arrays, at each bid's index in the whole round's
     * order: its assignment and sequence number, or why it is left open. Groups write disjoint slots.
     */
    void report(Assignment[] assignments, long[] sequences, Unmatched[] unmatched) {
        for (int b = 0; b < ordered.length; b++) {
            int r = roundIndex[b];
            if (serverOf[b] >= 0) {
                assignments[r] = new Assignment(ordered[b], servers.get(serverOf[b]), price[b], pricedAt[b]);
                sequences[r] = sequence[b];
            } else if (cause[b] == UnmatchedCause.ABOVE_MAX) {
                unmatched[r] = new Unmatched(ordered[b], cause[b], servers.get(-2 - serverOf[b]), price[b]);
            } else {
                unmatched[r] = new Unmatched(ordered[b], cause[b], null, 0);
            }
        }
    }

    boolean bigEnough(int s, ResourceVector demand) {
        return demand.vcpus() <= capVcpus[s] && demand.memoryMib() <= capMemory[s] && demand.diskGib() <= capDisk[s];
    }

    boolean hasRoom(int s, ResourceVector taken, ResourceVector demand) {
        return taken.vcpus() + demand.vcpus() <= capVcpus[s] && taken.memoryMib() + demand.memoryMib() <= capMemory[s]
                && taken.diskGib() + demand.diskGib() <= capDisk[s];
    }

    static ResourceVector minus(ResourceVector a, ResourceVector b) {
        return new ResourceVector(a.vcpus() - b.vcpus(), a.memoryMib() - b.memoryMib(), a.diskGib() - b.diskGib());
    }

    private void keepPrimitives(int s) {
        reservedVcpus[s] = reserved[s].vcpus();
        reservedMemory[s] = reserved[s].memoryMib();
        reservedDisk[s] = reserved[s].diskGib();
    }
}
