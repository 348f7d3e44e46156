package org.xenomarket.market.clearing.round;

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

/**
 * One clearing round, the matching itself (grid build, ordering, splitting into groups, placing the
 * groups on the machine's cores, repair, settling prices; no I/O): {@code bids} open bids over
 * {@code servers} servers of {@link BenchmarkWorld}.
 * Target: 100,000 x 10,000 in at most 1 s on 2 cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ClearingRoundBenchmark {

    @Param({"10000"})
    int servers;

    @Param({"100000"})
    int bids;

    private BenchmarkWorld world;

    @Setup(Level.Trial)
    public void generate() {
        world = BenchmarkWorld.generate(servers, bids, 0x434c_4541_5200_0001L);
    }

    @TearDown(Level.Trial)
    public void describe() {
        System.out.printf("%n%d bids over %d servers: %s%n", bids, servers,
                BenchmarkWorld.summary(ClearingRound.clear(world.servers, world.bids)));
    }

    @Benchmark
    public RoundOutcome clearOneRound() {
        return ClearingRound.clear(world.servers, world.bids);
    }
}
