package io.gtcp.bench;

/**
 * One run of one contender at one thread count: the exchanges done, in how long, the process CPU time they
 * took, what went wrong, and how evenly the threads shared the work.
 *
 * @param ops          exchanges completed by all threads
 * @param nanos        wall time from the start signal to the last thread's end
 * @param cpuNanos     process CPU time over the same span (clients, the in-process echo server, JIT and GC alike)
 * @param errors       failed exchanges
 * @param firstError   the first failure, or null
 * @param minThreadOps the fewest exchanges one thread completed
 * @param maxThreadOps the most exchanges one thread completed
 */
public record Round(long ops, long nanos, long cpuNanos, long errors, String firstError, long minThreadOps,
                    long maxThreadOps) {

    public double opsPerSecond() {
        return nanos <= 0 ? 0 : ops * 1e9 / nanos;
    }

    /** Process CPU time per exchange, in microseconds; NaN without exchanges. */
    public double cpuMicrosPerOp() {
        return ops == 0 ? Double.NaN : cpuNanos / 1e3 / ops;
    }

    /** The fewest over the most exchanges of one thread: 1 is perfectly fair, 0 is a starved thread. */
    public double fairness() {
        return maxThreadOps == 0 ? Double.NaN : (double) minThreadOps / maxThreadOps;
    }
}
