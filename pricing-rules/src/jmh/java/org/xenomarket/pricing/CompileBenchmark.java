package org.xenomarket.pricing;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** The one-off part of a policy change: compiling the DRL to an executable-model rule base. */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class CompileBenchmark {

    @Benchmark
    public PricingEngine compileBuiltInPolicy() {
        return PricingEngine.compile(PricingPolicy.builtIn());
    }
}
