package io.gtcp.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.PoolListener;
import io.gtcp.RetryBudget;
import io.gtcp.testing.Closer;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A dead fleet costs the retry budget's bound, not one dial per endpoint per call: with the defaults (20 % of
 * the calls plus 10 a second), three dead endpoints and 16 threads calling, the dials stay near 1.2 a call.
 */
@Timeout(120)
class DeadFleetTest {

    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 150;

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    @Test
    void aDeadFleetCostsDialsWithinTheBudgetsBound() throws Exception {
        List<String> dead = List.of(ScriptedFleet.refusing(0), ScriptedFleet.refusing(1), ScriptedFleet.refusing(2));
        AtomicInteger dials = new AtomicInteger();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(dead)
                .loadBalancing(LoadBalancing.ROUND_ROBIN).idempotent(true)
                .listener(new PoolListener() {
                    @Override
                    public void connectionFailed(String address, IOException cause) {
                        dials.incrementAndGet();
                    }
                }).build());
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        try {
            List<Future<Integer>> failures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                failures.add(threads.submit(() -> {
                    int failed = 0;
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        try {
                            pool.sendRecvPkg(new byte[]{1});
                        } catch (ConnectException expected) {
                            failed++;
                        }
                    }
                    return failed;
                }));
            }
            int failed = 0;
            for (Future<Integer> f : failures) {
                failed += f.get(100, TimeUnit.SECONDS);
            }
            assertThat(failed).isEqualTo(THREADS * CALLS_PER_THREAD);
        } finally {
            threads.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int calls = THREADS * CALLS_PER_THREAD;
        // the floor accrues at 10 a second, and a new factory starts with its first second's worth
        long bound = Math.round(calls * 1.2 + 10 * Math.max(seconds, 1.0)) + THREADS;
        assertThat(dials.get()).as("dials for %d calls in %.1f s", calls, seconds)
                .isGreaterThanOrEqualTo(calls).isLessThanOrEqualTo((int) bound);
        assertThat(pool.retriesRefused()).isPositive();
    }

    @Test
    void aNewFactoryWithTheDefaultBudgetFailsOverAcrossTheWholeGroup() throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ScriptedFleet.Answer.ECHO));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder()
                .addresses(ScriptedFleet.refusing(1), ScriptedFleet.refusing(2), fleet.address(0))
                .loadBalancing(LoadBalancing.FAILOVER).outlierEjection(OutlierEjection.disabled()).build());

        try (PoolConn conn = pool.get()) { // two failover dials at once, before any call paid into the budget
            assertThat(conn.remoteAddress().getAddress().getHostAddress() + ":" + conn.remoteAddress().getPort())
                    .isEqualTo(fleet.address(0));
        }
        PoolConnFactory dead = closer.using(PoolConnFactory.builder()
                .addresses(ScriptedFleet.refusing(0), ScriptedFleet.refusing(1), ScriptedFleet.refusing(2))
                .loadBalancing(LoadBalancing.FAILOVER).outlierEjection(OutlierEjection.disabled()).build());
        assertThatThrownBy(dead::get).isInstanceOf(ConnectException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    }

    @Test
    void withoutABudgetAGetDoesNotFailOverToTheNextEndpoint() throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ScriptedFleet.Answer.ECHO));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder()
                .addresses(ScriptedFleet.refusing(1), fleet.address(0)).loadBalancing(LoadBalancing.FAILOVER)
                .outlierEjection(OutlierEjection.disabled()).retryBudget(RetryBudget.none()).build());

        assertThatThrownBy(pool::get).isInstanceOf(ConnectException.class);
        assertThat(pool.retriesRefused()).isEqualTo(1);
    }

    @Test
    void withTheDefaultBudgetAGetFailsOverAsBefore() throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ScriptedFleet.Answer.ECHO));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder()
                .addresses(ScriptedFleet.refusing(1), fleet.address(0)).loadBalancing(LoadBalancing.FAILOVER)
                .build());
        Duration wait = Duration.ofMillis(300); // the per-second floor accrues as a rate from the factory's start
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollDelay(wait).until(() -> {
            try (var conn = pool.get()) {
                return conn.address().equals(fleet.address(0));
            }
        });
    }
}
