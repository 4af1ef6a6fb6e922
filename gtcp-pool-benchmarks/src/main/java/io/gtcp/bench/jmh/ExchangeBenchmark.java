package io.gtcp.bench.jmh;

import io.gtcp.bench.Contender;
import io.gtcp.bench.EchoServer;
import io.gtcp.bench.Contenders;

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
 * One whole exchange on one thread, as the end-to-end harness does it, under JMH: its purpose is
 * {@code -prof gc}, the bytes each contender allocates per exchange (the harness cannot show that), and a latency
 * figure that complements the harness's throughput.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
@State(Scope.Thread)
public class ExchangeBenchmark {

    @Param({"raw", "gtcp", "commons-pool2"})
    public String contender;

    private final byte[] payload = "2026-01-01 00:00:00".getBytes(StandardCharsets.US_ASCII);
    private EchoServer server;
    private Contender opened;
    private Contender.Worker worker;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = EchoServer.start();
        opened = Contenders.open(contender, java.util.List.of(server), 64, false);
        worker = opened.newWorker();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        worker.close();
        opened.close();
        server.close();
    }

    @Benchmark
    public byte[] exchange() throws Exception {
        return worker.exchange(payload);
    }
}
