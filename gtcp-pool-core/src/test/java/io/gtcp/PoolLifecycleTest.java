package io.gtcp;

import static io.gtcp.PoolTestServer.bytes;
import static io.gtcp.PoolTestServer.text;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;

import io.gtcp.testing.Closer;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lifetimes, housekeeping, minIdle, restarts and closing the factory. */
@Timeout(value = 30, unit = SECONDS)
class PoolLifecycleTest {

    @AutoClose
    private final Closer closer = new Closer();

    @Test
    void idleTtlExpiryClosesTheSocket() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        RecordingListener events = new RecordingListener();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address())
                .ttl(Duration.ofMillis(200)).listener(events).build());

        int port;
        try (PoolConn conn = pool.get()) {
            conn.sendRecvPkg(bytes("x"));
            port = conn.localAddress().getPort();
        }
        assertThat(pool.stats().idle()).isEqualTo(1);

        assertThat(server.ended.poll(10, SECONDS)).isEqualTo(port); // the server saw EOF: really closed
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().total() == 0);
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::closed).containsExactly(0, 1L);
        assertThat(events.closed).containsExactly(CloseReason.IDLE_EXPIRED);
    }

    @Test
    void maxLifetimeClosesAnIdleConnectionAndOneThatComesBackTooOld() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        RecordingListener events = new RecordingListener();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address())
                .maxLifetime(Duration.ofMillis(100)).listener(events).build());

        PoolConn idle = pool.get();
        PoolConn held = pool.get();
        long borrowed = System.nanoTime();
        int idlePort = idle.localAddress().getPort();
        int heldPort = held.localAddress().getPort();
        idle.close();

        assertThat(server.ended.poll(10, SECONDS)).isEqualTo(idlePort); // the housekeeper closed it
        await().atMost(Duration.ofSeconds(10))
                .until(() -> System.nanoTime() - borrowed > Duration.ofMillis(150).toNanos());
        assertThat(text(held.sendRecvPkg(bytes("old")))).isEqualTo("> old"); // borrowed: never pulled away
        held.close();

        assertThat(server.ended.poll(10, SECONDS)).isEqualTo(heldPort);
        assertThat(events.closed).containsExactly(CloseReason.LIFETIME_EXPIRED, CloseReason.LIFETIME_EXPIRED);
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void thePoolOfAnAddressLeftEmptyForATtlIsForgottenAndComesBackOnUse() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        RecordingListener events = new RecordingListener();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().ttl(Duration.ofMillis(100)).listener(events).build());

        try (PoolConn conn = pool.get(server.address())) {
            assertThat(text(conn.sendRecvPkg(bytes("once")))).isEqualTo("> once");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.addresses().isEmpty());
        assertThat(events.closed).containsExactly(CloseReason.IDLE_EXPIRED);
        assertThat(events.removed).containsExactly(server.address());

        try (PoolConn conn = pool.get(server.address())) {
            assertThat(text(conn.sendRecvPkg(bytes("again")))).isEqualTo("> again");
        }
        assertThat(events.added).containsExactly(server.address(), server.address());
        assertThat(pool.addresses()).containsExactly(server.address());
    }

    @Test
    void theConfiguredAddressKeepsItsPoolWhenEmpty() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address())
                .ttl(Duration.ofMillis(50)).build());
        try (PoolConn conn = pool.get()) {
            conn.sendRecvPkg(bytes("x"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().closed() == 1);
        assertThat(server.ended.poll(10, SECONDS)).isNotNull();
        // several TTLs of emptiness pass: the pool is still there throughout
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(10))
                .until(() -> pool.addresses().contains(server.address()));
    }

    @Test
    void minIdleKeepsConnectionsReady() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).minIdle(3).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats(server.address()).idle() == 3);
        assertThat(server.accepted()).isEqualTo(3);

        try (PoolConn a = pool.get(); PoolConn b = pool.get()) {
            assertThat(text(a.sendRecvPkg(bytes("a")))).isEqualTo("> a");
            assertThat(text(b.sendRecvPkg(bytes("b")))).isEqualTo("> b");
            // two borrowed, so the housekeeper tops the idle set up again
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().idle() == 3);
            assertThat(pool.stats().total()).isEqualTo(5);
        }
    }

    @Test
    void aServerRestartOnTheSamePortIsSurvivedWithoutAnError() throws Exception {
        PoolTestServer first = PoolTestServer.echo();
        int port = first.port();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(first.address())
                .checkIdleAfter(Duration.ZERO).build());

        int oldLocal;
        try (PoolConn conn = pool.get()) {
            assertThat(text(conn.sendRecvPkg(bytes("before")))).isEqualTo("> before");
            oldLocal = conn.localAddress().getPort();
        }
        first.close(); // closes the pooled connection's server side too
        assertThat(first.ended.poll(10, SECONDS)).isEqualTo(oldLocal);

        PoolTestServer second = closer.using(PoolTestServer.echoOn(port));
        try (PoolConn conn = pool.get()) {
            assertThat(text(conn.sendRecvPkg(bytes("after")))).isEqualTo("> after");
            assertThat(conn.localAddress().getPort()).isNotEqualTo(oldLocal);
        }
        assertThat(second.accepted()).isEqualTo(1);
        assertThat(pool.stats().closed()).isEqualTo(1);
    }

    @Test
    void closingTheFactoryClosesIdleConnectionsAtOnceAndBorrowedOnesOnReturn() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        RecordingListener events = new RecordingListener();
        PoolConnFactory pool = PoolConnFactory.builder().name("closing").address(server.address())
                .listener(events).build();

        PoolConn idle = pool.get();
        PoolConn held = pool.get();
        int idlePort = idle.localAddress().getPort();
        int heldPort = held.localAddress().getPort();
        idle.close();
        assertThat(housekeeperThreads("closing")).isEqualTo(1);

        pool.close();
        assertThat(pool.isClosed()).isTrue();
        assertThat(server.ended.poll(10, SECONDS)).isEqualTo(idlePort);
        assertThat(text(held.sendRecvPkg(bytes("still usable")))).isEqualTo("> still usable");
        assertThatThrownBy(pool::get).isInstanceOf(IOException.class).hasMessageContaining("pool closed");
        assertThatThrownBy(() -> pool.get("127.0.0.1:1")).isInstanceOf(IOException.class)
                .hasMessageContaining("pool closed");

        held.close();
        assertThat(server.ended.poll(10, SECONDS)).isEqualTo(heldPort);
        assertThat(pool.stats()).extracting(PoolStats::total, PoolStats::closed).containsExactly(0, 2L);
        assertThat(events.closed).containsExactly(CloseReason.FACTORY_CLOSED, CloseReason.FACTORY_CLOSED);
        assertThat(events.removed).containsExactly(server.address());
        await().atMost(Duration.ofSeconds(10)).until(() -> housekeeperThreads("closing") == 0);
    }

    @Test
    void aCallerWaitingWhenTheFactoryClosesIsToldAtOnce() throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = PoolConnFactory.builder().address(server.address()).maxSize(1)
                .acquireTimeout(Duration.ofSeconds(60)).build();
        PoolConn held = pool.get();
        java.util.concurrent.CompletableFuture<PoolConn> waiter =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return pool.get();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().pending() == 1);

        pool.close();

        assertThatThrownBy(() -> waiter.get(10, SECONDS)).hasRootCauseInstanceOf(IOException.class)
                .hasMessageContaining("pool closed");
        held.close();
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void leakDetectionReportsWhereALongHeldConnectionWasBorrowed() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        RecordingListener events = new RecordingListener();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address())
                .leakDetectionThreshold(Duration.ofMillis(50)).listener(events).build());

        try (PoolConn conn = pool.get()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !events.leaks.isEmpty());
            assertThat(events.leaks.get(0).getStackTrace())
                    .anySatisfy(frame -> assertThat(frame.getMethodName())
                            .isEqualTo("leakDetectionReportsWhereALongHeldConnectionWasBorrowed"));
        }
        try (PoolConn quick = pool.get()) {
            quick.sendRecvPkg(bytes("fast"));
        }
        assertThat(events.leaks).hasSize(1);
    }

    private static long housekeeperThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("gtcp-pool-housekeeper-" + name) && t.isAlive()).count();
    }
}
