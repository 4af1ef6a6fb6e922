package io.gtcp.bench.jmh;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.bench.EchoServer;
import io.gtcp.spring.boot.autoconfigure.observation.ObservationExchangeObserver;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the {@code gtcp.client.requests} observation costs (issue 13.5), on one thread, with {@code -prof gc}:
 * <ul>
 * <li>{@code none}: a factory as the core builds it, no {@link io.gtcp.ExchangeObserver}; what the starter builds
 * when the application has no {@link ObservationRegistry} bean;</li>
 * <li>{@code noop}: the starter's {@link ObservationExchangeObserver} over {@link ObservationRegistry#NOOP}, a
 * registry bean with nothing behind it;</li>
 * <li>{@code recording}: the same observer over a registry with one handler, a
 * {@link DefaultMeterObservationHandler} on a {@link SimpleMeterRegistry} (a timer per exchange), for scale.</li>
 * </ul>
 * Each is measured on the warm {@code get(); close()} (the pool's own path, which an exchange's round trip cannot
 * hide) and on one {@code sendRecvPkg} to the in-process echo server. "Zero cost" is {@code none} and {@code noop}
 * level within the error bars with equal {@code gc.alloc.rate.norm}. The observer is built directly rather than
 * through the auto-configuration: the customizer only passes this object to the builder.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
@State(Scope.Thread)
public class ObservationCostBenchmark {

    @Param({"none", "noop", "recording"})
    public String observation;

    private final byte[] payload = "2026-01-01 00:00:00".getBytes(StandardCharsets.US_ASCII);
    EchoServer server;
    PoolConnFactory pool;
    SimpleMeterRegistry meters;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = EchoServer.start();
        PoolConnFactory.Builder builder = PoolConnFactory.builder().name("jmh").address(server.address());
        switch (observation) {
            case "none" -> {
            }
            case "noop" -> builder.exchangeObserver(new ObservationExchangeObserver(ObservationRegistry.NOOP));
            case "recording" -> {
                meters = new SimpleMeterRegistry();
                ObservationRegistry registry = ObservationRegistry.create();
                registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
                builder.exchangeObserver(new ObservationExchangeObserver(registry));
            }
            default -> throw new IllegalArgumentException("observation must be none, noop or recording: "
                    + observation);
        }
        pool = builder.build();
        // one idle connection, so that no measured borrow dials
        pool.get().close();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        if (meters != null) {
            meters.close();
        }
        server.close();
    }

    @Benchmark
    public void borrowReturn() throws Exception {
        PoolConn conn = pool.get();
        conn.close();
    }

    @Benchmark
    public byte[] exchange() throws Exception {
        try (PoolConn conn = pool.get()) {
            return conn.sendRecvPkg(payload);
        }
    }
}
