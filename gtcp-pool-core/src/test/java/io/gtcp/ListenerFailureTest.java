package io.gtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.testing.Closer;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A listener that throws anything (an exception, an {@code Error}, even a {@code VirtualMachineError}) changes
 * nothing in the pool: a release still frees the permit, a dial still hands out its connection and counts it,
 * and housekeeping goes on expiring connections.
 */
class ListenerFailureTest {

    /** What the listener throws. */
    enum Thrown {
        RUNTIME_EXCEPTION(() -> new IllegalStateException("listener bug")),
        ERROR(() -> new ListenerError()),
        STACK_OVERFLOW(() -> new StackOverflowError("listener recursion"));

        final Supplier<Throwable> make;

        Thrown(Supplier<Throwable> make) {
            this.make = make;
        }

        void raise() {
            Throwable t = make.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) t;
        }
    }

    /** An application error that is neither a RuntimeException nor a LinkageError. */
    static final class ListenerError extends Error {
        ListenerError() {
            super("listener failed");
        }
    }

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    @ParameterizedTest
    @EnumSource(Thrown.class)
    void aThrowingReleaseListenerLosesNoPermit(Thrown thrown) throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(1)
                .acquireTimeout(Duration.ofSeconds(2)).listener(new PoolListener() {
                    @Override
                    public void connectionReleased(String address, long nanos) {
                        thrown.raise();
                    }
                }).build());
        for (int i = 0; i < 3; i++) {
            try (PoolConn conn = pool.get()) {
                assertThat(conn.sendRecvPkg(PoolTestServer.bytes("hi"))).isEqualTo(PoolTestServer.bytes("> hi"));
            }
        }
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::active, PoolStats::created)
                .containsExactly(1, 0, 1L);
    }

    @ParameterizedTest
    @EnumSource(Thrown.class)
    void aThrowingCreateListenerLeaksNothing(Thrown thrown) throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(1)
                .acquireTimeout(Duration.ofSeconds(2)).listener(new PoolListener() {
                    @Override
                    public void connectionCreated(String address, long nanos) {
                        thrown.raise();
                    }
                }).build());
        try (PoolConn conn = pool.get()) {
            assertThat(conn.sendRecvPkg(PoolTestServer.bytes("hi"))).isEqualTo(PoolTestServer.bytes("> hi"));
        }
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::total, PoolStats::created)
                .containsExactly(1, 1, 1L);
    }

    @ParameterizedTest
    @EnumSource(Thrown.class)
    void aThrowingCloseListenerDoesNotStopHousekeeping(Thrown thrown) throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address())
                .ttl(Duration.ofMillis(200)).listener(new PoolListener() {
                    @Override
                    public void connectionClosed(String address, CloseReason reason) {
                        thrown.raise();
                    }
                }).build());
        for (int expired = 1; expired <= 3; expired++) {
            pool.get().close();
            long closed = expired;
            await("expiry number " + expired).atMost(Duration.ofSeconds(5))
                    .until(() -> pool.stats().closed() == closed && pool.stats().idle() == 0);
        }
    }
}
