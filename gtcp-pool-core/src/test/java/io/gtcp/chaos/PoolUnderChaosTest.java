package io.gtcp.chaos;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.PoolConnFactory;
import io.gtcp.PoolStats;
import io.gtcp.testing.BlackHole;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool under random faults and load: 16 threads share a pool of 8 connections through a {@link ChaosProxy}
 * that closes, resets, stalls, truncates, black-holes, drips and duplicates replies and restarts the server, with
 * a fixed seed. {@link ChaosLoad} checks every call (right reply or an {@code IOException}, in bounded time, on a
 * connection that never failed before); then the faults stop and every following call must succeed; finally the
 * pool's statistics, file descriptors and threads must be back where they were. It runs over plain TCP, over TLS
 * (the proxy passes the encrypted bytes through), with the housekeeper expiring and topping up connections, and
 * with what users get wrong on top of the faults: listeners that throw, connections closed from other threads
 * mid-call, and a black-holed address whose {@code minIdle} dials hang in the same factory.
 *
 * <p>The pool checks every connection before handing it out ({@code checkIdleAfter(0)}): with the default, a
 * connection that the server closed less than 500 ms after its last use can still fail one call after the
 * faults have stopped, which is allowed (the caller gets an {@code IOException}) but would blur "the pool heals".
 */
@Timeout(value = 60, unit = SECONDS)
class PoolUnderChaosTest {

    // Generous enough that a loopback exchange or handshake on an overloaded CI machine never times out once the
    // faults stop; the faults that cost a whole timeout (stall, black hole) are kept rare instead.
    static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(3);
    /**
     * Hang detection only: the read timeout plus 15 s, room for the longest legitimate call (an acquire wait, a dial
     * and handshake, the exchange, and a reconnect-on-send's second dial and handshake) on a busy machine.
     */
    static final Duration HANG_LIMIT = READ_TIMEOUT.plusSeconds(15);
    static final int THREADS = 16;
    static final int MAX_SIZE = 8;
    static final double FAULT_RATE = 0.005;

    private Consumer<PoolConnFactory.Builder> settings;
    /** The share of calls whose connection another thread closes during the chaos phase. */
    private double crossThreadCloseRate;
    /** An address of the same factory whose dials hang, with {@code minIdle} redialling it throughout; or null. */
    private BlackHole blackHole;

    @Test
    void plainPoolSurvivesChaosAndHeals() throws IOException {
        survivesChaosAndHeals(null, null, 20_241_125L, builder -> { });
    }

    @Test
    void tlsPoolSurvivesChaosAndHeals() throws IOException {
        survivesChaosAndHeals(TlsContexts.server(), TlsContexts.client(), 7_071_999L, builder -> { });
    }

    /** The housekeeper at work throughout: connections expire by idle time and by age, and are topped up. */
    @Test
    void poolWithExpiryAndMinIdleSurvivesChaosAndHeals() throws IOException {
        survivesChaosAndHeals(null, null, 1_234_567L, builder -> builder
                .minIdle(4).ttl(Duration.ofMillis(400)).maxLifetime(Duration.ofSeconds(1)));
    }

    /**
     * Listeners that throw (exceptions, errors, a stack overflow), connections closed from another thread in the
     * middle of their exchange, and {@code minIdle} dials of another address of the factory hanging in a black
     * hole: none of it may break an invariant, slow the housekeeping down or keep the pool from healing.
     */
    @Test
    void poolWithMisbehavingUsersSurvivesChaosAndHeals() throws IOException {
        try (BlackHole hole = BlackHole.full()) {
            blackHole = hole;
            crossThreadCloseRate = 0.02;
            survivesChaosAndHeals(null, null, 4_242_424L, builder -> builder
                    .minIdle(2).ttl(Duration.ofMillis(400)).listener(new ThrowingListener(50, 60)));
        }
    }

    private void survivesChaosAndHeals(SSLContext serverTls, SSLContext clientTls, long seed,
                                       Consumer<PoolConnFactory.Builder> settings) throws IOException {
        this.settings = settings;
        // A small run first, so that what a JVM opens once (class files, random sources, the write watchdog's
        // thread) is open before the baseline is taken.
        run(serverTls, clientTls, seed, 0.05, 40, Duration.ofSeconds(3), 10);
        ProcessResources baseline = ProcessResources.now();

        Outcomes outcomes = run(serverTls, clientTls, seed, FAULT_RATE, 1_500, Duration.ofSeconds(10), 150);

        for (Fault fault : Fault.values()) {
            assertThat(outcomes.injected()).as("times %s was injected", fault).containsKey(fault);
        }

        await("file descriptors and threads back to the baseline " + baseline)
                .atMost(Duration.ofSeconds(15))
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(50))
                .until(() -> ProcessResources.now().atMost(baseline));
    }

    /** What a run saw: the two phases and how often each fault was injected. */
    record Outcomes(ChaosLoad.Outcome chaos, ChaosLoad.Outcome heal, Map<Fault, Long> injected) {
    }

    private Outcomes run(SSLContext serverTls, SSLContext clientTls, long seed, double faultRate, int chaosCalls,
                         Duration chaosBudget, int healCalls) throws IOException {
        Map<Fault, Long> injected = new EnumMap<>(Fault.class);
        ChaosLoad.Outcome chaos;
        ChaosLoad.Outcome heal;
        PoolConnFactory pool;
        try (EchoServer server = serverTls == null ? EchoServer.plain() : EchoServer.tls(serverTls);
             ChaosProxy proxy = ChaosProxy.start(server.port(), server::restart)) {
            pool = factory(proxy.address(), clientTls);
            CompletableFuture<Void> blackHoleDial = blackHole == null ? null
                    : dialInBackground(pool, blackHole.address());
            try {
                ChaosLoad load = new ChaosLoad(pool, proxy, HANG_LIMIT).crossThreadCloses(crossThreadCloseRate);
                proxy.dripPause(Duration.ofNanos(100_000));
                proxy.chaos(ChaosPlan.everyFault(seed, faultRate));
                chaos = load.run("chaos", THREADS, chaosCalls, chaosBudget, seed);
                load.crossThreadCloses(0);
                for (Fault fault : Fault.values()) {
                    if (proxy.injected(fault) > 0) {
                        injected.put(fault, proxy.injected(fault));
                    }
                }
                System.out.println(chaos + "; faults injected: " + injected);

                proxy.calm();
                await("connections broken by the faults to be gone")
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> proxy.liveConnections() == proxy.healthyConnections()
                                && server.connectionCount() == proxy.liveConnections());
                heal = load.run("heal", THREADS, healCalls, Duration.ofSeconds(10), seed + 1);
                System.out.println(heal);

                PoolConnFactory settling = pool; // the housekeeper may be between a dial and its slot
                await("the pool's statistics to settle").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    PoolStats settled = settling.stats(proxy.address());
                    assertThat(settled.active()).as("borrowed connections after the run").isZero();
                    assertThat(settled.pending()).as("waiting callers after the run").isZero();
                    assertThat(settled.total()).isEqualTo(settled.idle()).isLessThanOrEqualTo(MAX_SIZE);
                    assertThat(settled.created() - settled.closed()).as("created minus closed")
                            .isEqualTo(settled.total());
                });
            } finally {
                pool.close();
                if (blackHoleDial != null) { // it failed as it must, in bounded time
                    blackHoleDial.get(CONNECT_TIMEOUT.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("the dial into the black hole", e);
        }

        assertThat(chaos.violations()).as("invariants broken under chaos").isEmpty();
        assertThat(chaos.failed()).as("calls the faults made fail").isPositive();
        assertThat(heal.violations()).as("invariants broken after the faults stopped").isEmpty();
        assertThat(heal.failures()).as("failures after the faults stopped").isEmpty();
        assertThat(heal.replies()).isEqualTo(heal.calls()).isPositive();
        PoolStats closed = pool.stats(pool.address());
        assertThat(closed.total()).as("connections left open by the closed pool").isZero();
        assertThat(closed.created()).isEqualTo(closed.closed());
        return new Outcomes(chaos, heal, injected);
    }

    /** Borrows from {@code address} on a thread of its own: the dial hangs until the connect timeout. */
    private static CompletableFuture<Void> dialInBackground(PoolConnFactory pool, String address) {
        return CompletableFuture.runAsync(() -> {
            try {
                pool.get(address).close();
            } catch (IOException expected) {
                return; // the connect timeout, or the factory closing
            }
            throw new AssertionError("a dial into the black hole succeeded");
        }, task -> new Thread(task, "chaos-black-hole-dial").start());
    }

    private PoolConnFactory factory(String address, SSLContext clientTls) {
        PoolConnFactory.Builder builder = PoolConnFactory.builder()
                .name("chaos")
                .address(address)
                .maxSize(MAX_SIZE)
                .acquireTimeout(ACQUIRE_TIMEOUT)
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(READ_TIMEOUT)
                .writeTimeout(WRITE_TIMEOUT)
                .checkIdleAfter(Duration.ZERO)
                .sslContext(clientTls);
        settings.accept(builder);
        return builder.build();
    }
}
