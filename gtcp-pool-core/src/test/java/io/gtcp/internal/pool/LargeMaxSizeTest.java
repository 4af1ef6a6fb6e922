package io.gtcp.internal.pool;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.PoolStats;
import io.gtcp.TcpServer;
import io.gtcp.testing.Closer;
import io.gtcp.testing.Servers;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * api.md: "maxSize up to 1,000,000 works without allocating for places never used." Go's gtcp has no limit; a
 * pool's places are allocated as they are first needed ({@link Slots}).
 */
@Timeout(value = 30, unit = SECONDS)
class LargeMaxSizeTest {

    @AutoClose
    final Closer closer = new Closer();

    @Test
    void aMillionPlacesCostNothingUntilUsed() throws IOException {
        TcpServer server = closer.using(new TcpServer("127.0.0.1:0", Servers.echo()).start());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        PoolConnFactory pool = closer.using(PoolConnFactory.builder().name("unbounded")
                .addresses("127.0.0.1:" + server.port(), "127.0.0.2:" + server.port()).maxSize(1_000_000).build());

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by build() for two endpoints of a million places each")
                .isLessThan(1_000_000);
        try (PoolConn conn = pool.get()) {
            assertThat(conn.sendRecv(new byte[] {7}, 1)).containsExactly(7);
        }
        assertThat(pool.stats().idle()).isEqualTo(1);
    }

    @Test
    void placesBeyondTheFirstChunkAreAddedAsConnectionsAreNeeded() throws IOException {
        TcpServer server = closer.using(new TcpServer("127.0.0.1:0", Servers.echo()).start());
        int held = Slots.FIRST * 3 + 5; // into the third chunk
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address("127.0.0.1:" + server.port())
                .maxSize(1_000_000).build());

        List<PoolConn> borrowed = new ArrayList<>();
        for (int i = 0; i < held; i++) {
            PoolConn conn = pool.get();
            borrowed.add(conn);
            conn.send(new byte[] {(byte) i});
            assertThat(conn.recv(1)).containsExactly((byte) i);
        }
        assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::created).containsExactly(held, (long) held);
        borrowed.forEach(PoolConn::close);
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::active).containsExactly(held, 0);

        for (int i = 0; i < held; i++) { // every place is found again: nothing new is dialled
            borrowed.set(i, pool.get());
        }
        assertThat(pool.stats().created()).isEqualTo(held);
        borrowed.forEach(PoolConn::close);
    }
}
