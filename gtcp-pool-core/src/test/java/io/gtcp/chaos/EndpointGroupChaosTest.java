package io.gtcp.chaos;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.PoolListener;
import io.gtcp.testing.ThreeServers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A group of three servers under load while one of them is killed and restarted: 16 threads of calls, each a
 * borrow, one exchange of a payload no other call sends, and a return, over a host name resolving to the three
 * (refreshed throughout). What the group owes its callers:
 * <ul>
 *   <li>no reply ever reaches the wrong caller;</li>
 *   <li>{@code get()} never fails while two servers are up (a refused dial moves on);</li>
 *   <li>the only failed calls are exchanges on connections to the killed server, begun before it was ejected:
 *       calls in flight when it died, or handed its connection before its end arrived;</li>
 *   <li>the restarted server gets traffic again by itself;</li>
 *   <li>afterwards, file descriptors and threads are back where they were.</li>
 * </ul>
 */
@Timeout(value = 60, unit = SECONDS)
class EndpointGroupChaosTest {

    static final int THREADS = 16;
    static final int MAX_CALLS_PER_THREAD = 20_000;
    static final Duration BUDGET = Duration.ofSeconds(20);
    static final String NAME = "chaos-group";

    /** One failed call: where it was, what it was doing, when it began. */
    record Failure(String address, String during, long beganAt, IOException cause) {
    }

    final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
    final Queue<String> violations = new ConcurrentLinkedQueue<>();
    final LongAdder calls = new LongAdder();
    final AtomicLong firstEjectionAt = new AtomicLong();
    final AtomicInteger ejections = new AtomicInteger();
    final AtomicBoolean stop = new AtomicBoolean();

    @Test
    void aKilledServerCostsOnlyItsCallsInFlightAndComesBackAfterItsRestart() throws Exception {
        try (ThreeServers servers = ThreeServers.plain()) {
            run(servers, Duration.ofMillis(300), () -> { }); // what a JVM opens once is open before the baseline
            failures.clear();
            calls.reset();
            firstEjectionAt.set(0);
            ejections.set(0);
            awaitNoServerConnections(servers);
            ProcessResources baseline = ProcessResources.now();

            run(servers, BUDGET, () -> killAndRestart(servers));

            assertThat(violations).isEmpty();
            assertThat(firstEjectionAt.get()).as("the killed server was ejected").isNotZero();
            assertThat(failures).allSatisfy(f -> {
                assertThat(f.during()).as("failed in " + f).isEqualTo("exchange");
                assertThat(f.address()).as("failed call's endpoint: " + f).isEqualTo(servers.address(1));
                assertThat(f.beganAt() - firstEjectionAt.get()).as("began before the ejection: " + f).isNegative();
            });
            assertThat(calls.sum()).isGreaterThan(1_500);

            awaitNoServerConnections(servers);
            await().atMost(Duration.ofSeconds(10)).pollInSameThread() // an await thread would count itself
                    .untilAsserted(() -> assertThat(ProcessResources.now())
                            .as("file descriptors and threads, baseline %s, threads now %s", baseline, threadNames())
                            .matches(now -> now.atMost(baseline)));
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
                    .extracting(Thread::getName).noneMatch(name -> name.endsWith("-" + NAME));
        }
    }

    private void killAndRestart(ThreeServers servers) throws IOException {
        awaitCalls(500);
        servers.stop(1);
        await("the killed server's ejection").atMost(Duration.ofSeconds(10)).until(() -> firstEjectionAt.get() != 0);
        // back on probation after its time, it fails its first dial and goes again, without a caller noticing
        await("the killed server's second ejection").atMost(Duration.ofSeconds(10)).until(() -> ejections.get() >= 2);
        awaitCalls(calls.sum() + 1_000);
        int servedBefore = servers.served(1);
        servers.restart(1);
        await("traffic back on the restarted server").atMost(Duration.ofSeconds(15))
                .until(() -> servers.served(1) >= servedBefore + 50);
    }

    private void awaitCalls(long count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> calls.sum() >= count);
    }

    /** Runs the load on a fresh factory while {@code scenario} runs (at most {@code budget}); closes the factory. */
    private void run(ThreeServers servers, Duration budget, Scenario scenario) throws Exception {
        stop.set(false);
        PoolConnFactory pool = PoolConnFactory.builder().name(NAME).addresses("svc.test:" + servers.port())
                .resolver(host -> resolve(servers, host)).refreshEvery(Duration.ofMillis(200))
                .loadBalancing(LoadBalancing.LEAST_BUSY)
                .outlierEjection(new OutlierEjection(3, Duration.ofMillis(500), 50))
                .readTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(2))
                .listener(new PoolListener() {
                    @Override
                    public void endpointEjected(String address, Duration ejectedFor) {
                        firstEjectionAt.compareAndSet(0, System.nanoTime());
                        ejections.incrementAndGet();
                    }
                }).build();
        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        try {
            long deadline = System.nanoTime() + budget.toNanos();
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int worker = t;
                running.add(workers.submit(() -> load(pool, worker, deadline)));
            }
            scenario.run();
            stop.set(true);
            for (java.util.concurrent.Future<?> worker : running) {
                worker.get(30, SECONDS);
            }
        } finally {
            stop.set(true);
            workers.shutdownNow();
            workers.awaitTermination(10, TimeUnit.SECONDS);
            pool.close();
        }
    }

    private void load(PoolConnFactory pool, int worker, long deadline) {
        for (int i = 0; i < MAX_CALLS_PER_THREAD && !stop.get() && System.nanoTime() - deadline < 0; i++) {
            byte[] payload = (NAME + "/" + worker + "/" + i).getBytes(StandardCharsets.US_ASCII);
            long began = System.nanoTime();
            PoolConn conn;
            try {
                conn = pool.get();
            } catch (IOException e) {
                failures.add(new Failure(null, "get", began, e));
                calls.increment();
                continue;
            }
            try (conn) {
                byte[] reply = conn.sendRecvPkg(payload);
                byte[] expected = ("> " + new String(payload, StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII);
                if (!Arrays.equals(reply, expected)) {
                    violations.add("sent " + new String(payload, StandardCharsets.US_ASCII) + ", got "
                            + new String(reply, StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                failures.add(new Failure(conn.address(), "exchange", began, e));
            } catch (RuntimeException | Error e) {
                violations.add("a call threw " + e);
            }
            calls.increment();
        }
    }

    private static List<InetAddress> resolve(ThreeServers servers, String host) throws UnknownHostException {
        if (!host.equals("svc.test")) {
            throw new UnknownHostException(host);
        }
        return List.of(servers.ip(0), servers.ip(1), servers.ip(2));
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).sorted()
                .toList();
    }

    private static void awaitNoServerConnections(ThreeServers servers) {
        await("the servers' connections closed").atMost(Duration.ofSeconds(10)).until(() ->
                servers.connections(0) == 0 && servers.connections(1) == 0 && servers.connections(2) == 0);
    }

    @FunctionalInterface
    private interface Scenario {
        void run() throws IOException;
    }
}
