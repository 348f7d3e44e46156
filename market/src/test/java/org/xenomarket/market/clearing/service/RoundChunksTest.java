package org.xenomarket.market.clearing.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xenomarket.market.bid.Bid;
import org.xenomarket.market.server.Offer;
import org.xenomarket.market.server.Server;

/**
 * How a round's placements are cut into chunks: every server's placements in one chunk (so chunks
 * written at once never raise the same capacity slot), every placement exactly once, chunks near the
 * size asked for.
 */
class RoundChunksTest {

    @Test
    void eachServersPlacementsStayInOneChunkAndNoneIsLostOrDoubled() {
        SplittableRandom random = new SplittableRandom(17);
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Server server = new Server();
            server.id = UUID.randomUUID();
            servers.add(server);
        }
        List<RoundBookings.Placed> placements = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            // uneven: some servers hold many placements, some one
            Server server = servers.get((int) Math.min(servers.size() - 1, Math.abs(random.nextGaussian()) * 12));
            Bid bid = new Bid();
            bid.id = UUID.randomUUID();
            placements.add(new RoundBookings.Placed(bid, null, new Offer(server, null, 0, null, null)));
        }

        List<List<RoundBookings.Placed>> chunks = RoundBookings.chunksByServer(placements, 100);

        Map<UUID, Integer> chunkOfServer = new HashMap<>();
        Set<UUID> bids = new HashSet<>();
        int total = 0;
        for (int c = 0; c < chunks.size(); c++) {
            List<RoundBookings.Placed> chunk = chunks.get(c);
            Set<UUID> serversOfChunk = new HashSet<>();
            for (RoundBookings.Placed p : chunk) {
                UUID server = p.offer().server().id;
                serversOfChunk.add(server);
                Integer earlier = chunkOfServer.putIfAbsent(server, c);
                assertTrue(earlier == null || earlier == c, "server " + server + " in chunks " + earlier + " and " + c);
                assertTrue(bids.add(p.bid().id), "bid placed twice");
            }
            total += chunk.size();
            // a chunk is cut at the first change of server once it holds 100: over by at most one server's placements
            int lastServersPlacements = (int) chunk.stream()
                    .filter(p -> p.offer().server().id.equals(chunk.get(chunk.size() - 1).offer().server().id)).count();
            assertTrue(chunk.size() < 100 + lastServersPlacements, "chunk of " + chunk.size());
            if (c < chunks.size() - 1) {
                assertTrue(chunk.size() >= 100, "a chunk cut before it was full: " + chunk.size());
            }
        }
        assertEquals(placements.size(), total);
        assertEquals(placements.size(), bids.size());
    }

    @Test
    void fewerPlacementsThanTheSizeMakeOneChunkAndNoneMakeNone() {
        Server server = new Server();
        server.id = UUID.randomUUID();
        Bid bid = new Bid();
        bid.id = UUID.randomUUID();
        List<RoundBookings.Placed> one = List.of(new RoundBookings.Placed(bid, null, new Offer(server, null, 0, null, null)));

        assertEquals(List.of(one), RoundBookings.chunksByServer(one, 100));
        assertEquals(List.of(), RoundBookings.chunksByServer(List.of(), 100));
    }
}
