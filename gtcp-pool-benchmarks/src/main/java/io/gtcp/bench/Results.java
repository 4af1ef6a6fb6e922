package io.gtcp.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Every run and every pair of a harness run. A contender's own figures are medians over its runs; a ratio
 * {@code reference/X} is the median over the pairs of the ratio within each pair, never a ratio of two medians,
 * so that drift between pairs (another build starting, a CPU frequency change) cancels out.
 */
public final class Results {

    /** The reference against one contender in one pair: throughput and CPU per exchange, reference over it. */
    public record PairRatio(double throughput, double cpuPerOp) {

        /** The ratio of the reference's two runs to the contender's two runs of the same pair. */
        static PairRatio of(Round ref1, Round ref2, Round other1, Round other2) {
            double refOps = ref1.ops() + ref2.ops();
            double otherOps = other1.ops() + other2.ops();
            double refRate = refOps / (ref1.nanos() + ref2.nanos());
            double otherRate = otherOps / (other1.nanos() + other2.nanos());
            double refCpu = (ref1.cpuNanos() + ref2.cpuNanos()) / refOps;
            double otherCpu = (other1.cpuNanos() + other2.cpuNanos()) / otherOps;
            return new PairRatio(otherRate == 0 ? Double.NaN : refRate / otherRate,
                    otherOps == 0 || refOps == 0 ? Double.NaN : refCpu / otherCpu);
        }
    }

    private final Map<String, Map<Integer, List<Round>>> rounds = new LinkedHashMap<>();
    private final Map<String, Map<Integer, List<PairRatio>>> pairs = new LinkedHashMap<>();

    void add(String contender, int threads, Round round) {
        rounds.computeIfAbsent(contender, c -> new LinkedHashMap<>())
                .computeIfAbsent(threads, t -> new ArrayList<>()).add(round);
    }

    void addPair(String contender, int threads, PairRatio ratio) {
        pairs.computeIfAbsent(contender, c -> new LinkedHashMap<>())
                .computeIfAbsent(threads, t -> new ArrayList<>()).add(ratio);
    }

    public List<Round> rounds(String contender, int threads) {
        return rounds.getOrDefault(contender, Map.of()).getOrDefault(threads, List.of());
    }

    /** The median of the runs' throughputs; NaN if the contender did not run. */
    public double opsPerSecond(String contender, int threads) {
        return median(rounds(contender, threads), Round::opsPerSecond);
    }

    /** The median of the runs' process CPU time per exchange, in microseconds. */
    public double cpuMicrosPerOp(String contender, int threads) {
        return median(rounds(contender, threads), Round::cpuMicrosPerOp);
    }

    /** The median of the runs' per-thread fairness (fewest over most exchanges of one thread). */
    public double fairness(String contender, int threads) {
        return median(rounds(contender, threads), Round::fairness);
    }

    /** The median over the pairs of reference/contender throughput; NaN without pairs. */
    public double throughputRatio(String contender, int threads) {
        return median(pairRatios(contender, threads), PairRatio::throughput);
    }

    /** The median over the pairs of reference/contender CPU per exchange; NaN without pairs. */
    public double cpuRatio(String contender, int threads) {
        return median(pairRatios(contender, threads), PairRatio::cpuPerOp);
    }

    List<PairRatio> pairRatios(String contender, int threads) {
        return pairs.getOrDefault(contender, Map.of()).getOrDefault(threads, List.of());
    }

    public long totalOps(String contender) {
        return rounds.getOrDefault(contender, Map.of()).values().stream()
                .flatMap(List::stream).mapToLong(Round::ops).sum();
    }

    public long totalErrors(String contender) {
        return rounds.getOrDefault(contender, Map.of()).values().stream()
                .flatMap(List::stream).mapToLong(Round::errors).sum();
    }

    /** The first error a contender met, or null. */
    public String firstError(String contender) {
        return rounds.getOrDefault(contender, Map.of()).values().stream().flatMap(List::stream)
                .map(Round::firstError).filter(e -> e != null).findFirst().orElse(null);
    }

    private static <T> double median(List<T> items, ToDoubleFunction<T> value) {
        double[] v = items.stream().mapToDouble(value).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
