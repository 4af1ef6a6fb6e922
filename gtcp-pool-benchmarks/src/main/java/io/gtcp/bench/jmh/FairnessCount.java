package io.gtcp.bench.jmh;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Per-thread operation counts of a multi-threaded benchmark, for fairness: JMH sums its threads' scores, so a
 * pool that lets a few threads hog the connections looks as fast as a fair one. Each thread counts into its own
 * {@link PerThread} state (a plain field, padded by JMH, no sharing); after every iteration, when all threads have
 * stopped, the counts of the measurement iterations are added up, and at the end of the trial one line is
 * printed: {@code FAIRNESS <benchmark> <mode> min/max=<ratio> min=<ops> max=<ops> threads=<n>}.
 */
@State(Scope.Benchmark)
public class FairnessCount {

    /** One thread's count; the benchmark method increments {@link #ops} once per operation. */
    @State(Scope.Thread)
    public static class PerThread {
        public long ops;

        @Setup(Level.Trial)
        public void register(FairnessCount all) {
            all.threads.add(this);
        }
    }

    private final List<PerThread> threads = new CopyOnWriteArrayList<>();
    private final Map<PerThread, long[]> seenAndMeasured = new IdentityHashMap<>();

    @TearDown(Level.Iteration)
    public void afterIteration(IterationParams iteration) {
        boolean measured = iteration.getType() == IterationType.MEASUREMENT;
        for (PerThread t : threads) {
            long[] s = seenAndMeasured.computeIfAbsent(t, k -> new long[2]);
            long delta = t.ops - s[0];
            s[0] = t.ops;
            if (measured) {
                s[1] += delta;
            }
        }
    }

    @TearDown(Level.Trial)
    public void report(BenchmarkParams benchmark) {
        String name = benchmark.getBenchmark().substring(benchmark.getBenchmark().lastIndexOf('.') + 1);
        String line = line(name, benchmark.getMode().shortLabel());
        if (line != null) {
            System.out.println();
            System.out.println(line);
        }
    }

    /** The {@code FAIRNESS} line over the measurement iterations so far; null before any was measured. */
    String line(String benchmark, String mode) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long[] s : seenAndMeasured.values()) {
            min = Math.min(min, s[1]);
            max = Math.max(max, s[1]);
        }
        if (max == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "FAIRNESS %s %s min/max=%.3f min=%d max=%d threads=%d", benchmark, mode,
                (double) min / max, min, max, seenAndMeasured.size());
    }
}
