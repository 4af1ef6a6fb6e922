package io.gtcp.chaos;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Random fault injection with a fixed seed: each reply the proxy forwards is hit with probability
 * {@code faultRate}, by a fault drawn with the given weights. The first faults of a run go through every fault
 * with a non-zero weight once, in declaration order, so that a run long enough to see that many faults is sure to
 * have exercised each kind; after that the draw is random. Each connection draws from its own generator, seeded
 * from {@code seed} and the connection's number, so a run's sequence of decisions is reproducible for a given
 * order of connections.
 *
 * @param seed      the seed of every generator of the run
 * @param faultRate the probability that a given reply is hit, 0 to 1
 * @param weights   the relative frequency of each fault; a fault that is absent or weighted 0 never happens
 */
public record ChaosPlan(long seed, double faultRate, Map<Fault, Integer> weights) {

    public ChaosPlan {
        if (faultRate < 0 || faultRate > 1) {
            throw new IllegalArgumentException("faultRate must be within 0..1: " + faultRate);
        }
        EnumMap<Fault, Integer> copy = new EnumMap<>(Fault.class);
        weights.forEach((fault, weight) -> {
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight for " + fault + ": " + weight);
            }
            if (weight > 0) {
                copy.put(fault, weight);
            }
        });
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("at least one fault needs a positive weight");
        }
        weights = Map.copyOf(copy);
    }

    /**
     * Every fault, weighted so that the ones that cost a whole read timeout (stall, black hole) and the one that
     * hits every connection at once (restart) are rarer than the ones that fail a single exchange quickly.
     */
    public static ChaosPlan everyFault(long seed, double faultRate) {
        Map<Fault, Integer> weights = new EnumMap<>(Fault.class);
        weights.put(Fault.CLOSE, 15);
        weights.put(Fault.RESET, 15);
        weights.put(Fault.TRUNCATE, 10);
        weights.put(Fault.DUPLICATE, 10);
        weights.put(Fault.DRIP, 10);
        weights.put(Fault.STALL, 3);
        weights.put(Fault.BLACK_HOLE, 3);
        weights.put(Fault.RESTART, 1);
        return new ChaosPlan(seed, faultRate, weights);
    }

    /** A generator for connection number {@code connection}. */
    SplittableRandom randomFor(int connection) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + connection);
    }

    /**
     * Whether the next reply is hit, and by what: null for no fault. {@code faults} counts the faults of the run
     * so far (shared by all connections); it drives the initial tour of every fault.
     */
    Fault draw(SplittableRandom random, AtomicInteger faults) {
        if (random.nextDouble() >= faultRate) {
            return null;
        }
        int ordinal = faults.getAndIncrement();
        Fault[] kinds = weights.keySet().stream().sorted().toArray(Fault[]::new);
        if (ordinal < kinds.length) {
            return kinds[ordinal];
        }
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int pick = random.nextInt(total);
        for (Fault kind : kinds) {
            pick -= weights.get(kind);
            if (pick < 0) {
                return kind;
            }
        }
        throw new AssertionError("weights changed while drawing");
    }
}
