package io.gtcp.bench.jmh;

import io.gtcp.bench.EchoServer;
import io.gtcp.internal.io.Dialer;
import io.gtcp.internal.io.Link;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the pool's two socket-level health checks cost on a healthy idle connection: the borrow-time stale check
 * ({@link Link#isStale()}, a non-blocking peek; the pool runs it only for connections idle 500 ms or more, so the
 * warm {@link BorrowReturnBenchmark} never pays it) and the return-time unread-bytes check
 * ({@link Link#hasUnreadBytes()}, which every return pays).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
@State(Scope.Thread)
public class StaleCheckBenchmark {

    private EchoServer server;
    private Link link;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = EchoServer.start();
        link = Dialer.connect(server.address(), TimeUnit.SECONDS.toNanos(10), null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        link.close();
        server.close();
    }

    @Benchmark
    public boolean staleCheckOnBorrow() {
        return link.isStale();
    }

    @Benchmark
    public boolean unreadBytesCheckOnReturn() {
        return link.hasUnreadBytes();
    }
}
