package org.xenomarket.market.clearing.round;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServiceClass;

/**
 * The matching of a round as the market runs it since rounds serve reserved demand first
 * ({@code ClearingRounds}): {@link ClearingRound#clear} over the RESERVED bids, then again over the
 * BEST_EFFORT bids with what the first pass placed added to each server's reservation (the market
 * reads the peaks again from the database instead; adding is the conservative stand-in). The same
 * {@link BenchmarkWorld} and seed as {@link ClearingRoundBenchmark}, so the two compare directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ClearingRoundTwoPassBenchmark {

    @Param({"10000"})
    int servers;

    @Param({"100000"})
    int bids;

    private BenchmarkWorld world;
    private List<RoundBid> reserved;
    private List<RoundBid> bestEffort;

    @Setup(Level.Trial)
    public void generate() {
        world = BenchmarkWorld.generate(servers, bids, 0x434c_4541_5200_0001L);
        reserved = world.bids.stream().filter(b -> b.serviceClass() == ServiceClass.RESERVED).toList();
        bestEffort = world.bids.stream().filter(b -> b.serviceClass() != ServiceClass.RESERVED).toList();
    }

    @TearDown(Level.Trial)
    public void describe() {
        RoundOutcome[] passes = clearInTwoPasses();
        System.out.printf("%nreserved pass, %d bids over %d servers: %s%n", reserved.size(), servers,
                BenchmarkWorld.summary(passes[0]));
        System.out.printf("%nbest-effort pass, %d bids over %d servers: %s%n", bestEffort.size(), servers,
                BenchmarkWorld.summary(passes[1]));
    }

    @Benchmark
    public RoundOutcome[] clearReservedThenBestEffort() {
        return clearInTwoPasses();
    }

    private RoundOutcome[] clearInTwoPasses() {
        RoundOutcome first = ClearingRound.clear(world.servers, reserved);
        Map<UUID, ResourceVector> taken = new HashMap<>();
        for (Assignment a : first.assignments()) {
            taken.merge(a.server().id(), a.bid().demand(), ResourceVector::plus);
        }
        List<RoundServer> after = new ArrayList<>(world.servers.size());
        for (RoundServer s : world.servers) {
            ResourceVector more = taken.get(s.id());
            after.add(more == null ? s : new RoundServer(s.id(), s.region(), s.latitude(), s.longitude(), s.capacity(),
                    s.reserved().plus(more), s.pricing(), s.reliability()));
        }
        return new RoundOutcome[] {first, ClearingRound.clear(after, bestEffort)};
    }
}
