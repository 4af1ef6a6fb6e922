package io.gtcp.bench.jmh;

import io.gtcp.LoadBalancing;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.bench.EchoServer;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
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
 * What an endpoint group adds to a warm borrow+return: {@code get(); close()} on a factory built with
 * {@code addresses(...)} and {@link LoadBalancing#LEAST_BUSY} over one echo server (the single-address figure,
 * the same path as {@code address(...)}) and over three (127.0.0.1/.2/.3), in the same run. The target is at
 * most 30 ns between the two rows, and no allocation beyond the single-address row's ({@code -prof gc}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
@State(Scope.Benchmark)
public class GroupBorrowReturnBenchmark {

    /** How many endpoints the group has. */
    @Param({"1", "3"})
    public int endpoints;

    private final List<EchoServer> servers = new ArrayList<>();
    private PoolConnFactory pool;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= endpoints; i++) {
            EchoServer server = EchoServer.start(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
            servers.add(server);
            addresses.add(server.address());
        }
        pool = PoolConnFactory.builder().name("jmh-group").addresses(addresses)
                .loadBalancing(LoadBalancing.LEAST_BUSY).build();
        // idle connections on every endpoint, so that no measured borrow dials
        List<PoolConn> held = new ArrayList<>();
        for (int i = 0; i < 4 * endpoints; i++) {
            held.add(pool.get());
        }
        for (PoolConn c : held) {
            c.close();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
        servers.forEach(EchoServer::close);
    }

    @Benchmark
    public void borrowAndReturn() throws IOException {
        PoolConn conn = pool.get();
        conn.close();
    }
}
