package io.gtcp.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.util.ConcurrentBag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.infra.IterationParams;

/**
 * The contended-borrow benchmark's three pools and its fairness count, driven without JMH by a few threads for a
 * bounded number of operations: every pool hands out and takes back its 8 connections, and the per-thread counts
 * of measurement iterations (only those) make the {@code FAIRNESS} line. No speed is asserted.
 */
class ContendedBorrowBenchmarkTest {

    private static final int THREADS = 6;
    private static final int OPS_PER_THREAD = 2_000;

    /** One benchmark operation, as a thread calls it. */
    private interface Op {
        void run(FairnessCount.PerThread count) throws Exception;
    }

    private static FairnessCount drive(Op op) throws Exception {
        FairnessCount fairness = new FairnessCount();
        List<FairnessCount.PerThread> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            FairnessCount.PerThread count = new FairnessCount.PerThread();
            count.register(fairness);
            counts.add(count);
            Thread t = new Thread(() -> {
                try {
                    for (int k = 0; k < OPS_PER_THREAD; k++) {
                        op.run(count);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(failures).isEmpty();
        assertThat(counts).allSatisfy(c -> assertThat(c.ops).isEqualTo(OPS_PER_THREAD));
        fairness.afterIteration(new IterationParams(IterationType.MEASUREMENT, 1, TimeValue.seconds(1), 1));
        return fairness;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void gtcpHandsOutItsEightLinks() throws Exception {
        ContendedBorrowBenchmark bench = new ContendedBorrowBenchmark();
        ContendedBorrowBenchmark.Gtcp pool = new ContendedBorrowBenchmark.Gtcp();
        pool.setUp();
        try {
            FairnessCount fairness = drive(count -> bench.gtcp(pool, count));
            assertThat(pool.pool.stats().total()).isEqualTo(ContendedBorrowBenchmark.CONNECTIONS);
            assertThat(pool.pool.stats().idle()).isEqualTo(ContendedBorrowBenchmark.CONNECTIONS);
            assertThat(fairness.line("gtcp", "thrpt"))
                    .isEqualTo("FAIRNESS gtcp thrpt min/max=1.000 min=2000 max=2000 threads=" + THREADS);
        } finally {
            pool.tearDown();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void commonsPool2AndTheHikariBagHandOutTheirEightSockets() throws Exception {
        ContendedBorrowBenchmark bench = new ContendedBorrowBenchmark();
        ContendedBorrowBenchmark.CommonsPool2 commons = new ContendedBorrowBenchmark.CommonsPool2();
        ContendedBorrowBenchmark.HikariBag bag = new ContendedBorrowBenchmark.HikariBag();
        commons.setUp();
        bag.setUp();
        try {
            assertThat(drive(count -> bench.commonsPool2(commons, count)).line("commonsPool2", "thrpt"))
                    .startsWith("FAIRNESS commonsPool2 thrpt min/max=1.000");
            assertThat(commons.pool.getCreatedCount()).isEqualTo(ContendedBorrowBenchmark.CONNECTIONS);
            assertThat(drive(count -> bench.hikariConcurrentBag(bag, count)).line("bag", "sample"))
                    .startsWith("FAIRNESS bag sample min/max=1.000");
            assertThat(drive(count -> bench.hikariConcurrentBagWithHandle(bag, count)).line("handle", "thrpt"))
                    .startsWith("FAIRNESS handle thrpt min/max=1.000");
            assertThat(bag.bag.size()).isEqualTo(ContendedBorrowBenchmark.CONNECTIONS);
            assertThat(bag.bag.getCount(ConcurrentBag.IConcurrentBagEntry.STATE_NOT_IN_USE))
                    .isEqualTo(ContendedBorrowBenchmark.CONNECTIONS);
        } finally {
            commons.tearDown();
            bag.tearDown();
        }
    }

    @Test
    void warmupIterationsAreNotCounted() {
        FairnessCount fairness = new FairnessCount();
        FairnessCount.PerThread a = new FairnessCount.PerThread();
        FairnessCount.PerThread b = new FairnessCount.PerThread();
        a.register(fairness);
        b.register(fairness);
        a.ops = 1_000;
        b.ops = 10;
        fairness.afterIteration(new IterationParams(IterationType.WARMUP, 1, TimeValue.seconds(1), 1));
        assertThat(fairness.line("x", "thrpt")).isNull();
        a.ops += 100;
        b.ops += 50;
        fairness.afterIteration(new IterationParams(IterationType.MEASUREMENT, 1, TimeValue.seconds(1), 1));
        assertThat(fairness.line("x", "thrpt")).isEqualTo("FAIRNESS x thrpt min/max=0.500 min=50 max=100 threads=2");
    }
}
