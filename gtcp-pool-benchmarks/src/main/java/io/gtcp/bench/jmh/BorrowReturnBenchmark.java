package io.gtcp.bench.jmh;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.bench.EchoServer;
import io.gtcp.bench.PoolProbe;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm borrow and return with no I/O: {@code get(); close()} on an idle pooled connection of gtcp-pool against
 * {@code borrowObject; returnObject} on commons-pool2, with and without the check on borrow. This is the pool's own
 * cost per exchange, the part a loopback round trip cannot hide. Run at 1 and 4 threads by the two subclasses.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public abstract class BorrowReturnBenchmark {

    /** The pools under test, with idle connections to a loopback echo server. */
    @State(Scope.Benchmark)
    public static class Pools {
        /** gtcp's {@code validateOnBorrow}, commons-pool2's {@code testOnBorrow}. */
        @Param({"true", "false"})
        public boolean validate;

        EchoServer server;
        PoolConnFactory gtcp;
        PoolProbe.CommonsPool commons;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            server = EchoServer.start();
            gtcp = PoolConnFactory.builder().name("jmh").address(server.address()).validateOnBorrow(validate).build();
            commons = PoolProbe.commonsPool(server.port(), validate);
            // enough idle connections for every benchmark thread, so that no measured borrow dials
            List<PoolConn> held = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                held.add(gtcp.get());
            }
            for (PoolConn c : held) {
                c.close();
            }
            commons.prefill(8);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            gtcp.close();
            commons.close();
            server.close();
        }
    }

    @Benchmark
    public void gtcp(Pools pools) throws Exception {
        PoolConn conn = pools.gtcp.get();
        conn.close();
    }

    @Benchmark
    public void commonsPool2(Pools pools) throws Exception {
        pools.commons.borrowAndReturn();
    }
}
