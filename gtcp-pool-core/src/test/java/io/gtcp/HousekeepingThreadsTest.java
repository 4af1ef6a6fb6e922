package io.gtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gtcp.testing.BlackHole;
import io.gtcp.testing.Closer;
import io.gtcp.testing.TestTls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow background work (dials for {@code minIdle}) never holds up the housekeeping of other addresses, and no
 * thread of a factory outlives it.
 */
class HousekeepingThreadsTest {

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    @Test
    void aBlackHoledAddressWithMinIdleDelaysNobodysExpiry() throws IOException {
        BlackHole hole = closer.using(BlackHole.full());
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().name("black-holed").address(hole.address())
                .minIdle(1).connectTimeout(Duration.ofSeconds(20)).ttl(Duration.ofMillis(300)).build());

        try (PoolConn conn = pool.get(server.address())) {
            conn.sendRecvPkg(PoolTestServer.bytes("hi"));
        }

        await("the idle connection to the working server to expire").atMost(Duration.ofSeconds(4))
                .until(() -> pool.stats(server.address()).closed() >= 1);
    }

    @Test
    void noThreadOfAFactoryOutlivesItsClose() throws IOException {
        BlackHole hole = closer.using(BlackHole.full());
        PoolConnFactory pool = PoolConnFactory.builder().name("closing-threads").address(hole.address()).minIdle(2)
                .connectTimeout(Duration.ofSeconds(20)).leakDetectionThreshold(Duration.ofMinutes(1)).build();
        await("a filler dialling").atMost(Duration.ofSeconds(5)).until(() -> threadsOf("closing-threads") >= 2);

        pool.close();

        await("every thread of the factory to end").atMost(Duration.ofSeconds(5))
                .until(() -> threadsOf("closing-threads") == 0);
        assertThat(pool.stats().total()).isZero();
    }

    /** The same over TLS: a filler stuck in the TCP connect of a TLS dial is interrupted too, not left to time out. */
    @Test
    void noThreadOfATlsFactoryOutlivesItsClose() throws IOException {
        BlackHole hole = closer.using(BlackHole.full());
        PoolConnFactory pool = PoolConnFactory.builder().name("closing-tls-threads").address(hole.address())
                .sslContext(TestTls.client()).minIdle(2).connectTimeout(Duration.ofSeconds(20)).build();
        await("a filler dialling").atMost(Duration.ofSeconds(5)).until(() -> threadsOf("closing-tls-threads") >= 2);

        pool.close();

        await("every thread of the factory to end").atMost(Duration.ofSeconds(5))
                .until(() -> threadsOf("closing-tls-threads") == 0);
        assertThat(pool.stats().total()).isZero();
    }

    /**
     * A borrower dialling an address that drops connects when the factory closes: its dial is ended (the socket
     * closed), so its get() fails at once with "pool closed" instead of at the 20 s connect timeout; over TLS
     * (a plain socket, which interrupts would not end) as over plain TCP.
     */
    @Test
    void closingTheFactoryEndsABorrowersDial() throws Exception {
        for (SSLContext tls : new SSLContext[] {null, TestTls.client()}) {
            BlackHole hole = closer.using(BlackHole.full());
            PoolConnFactory pool = PoolConnFactory.builder().name("closing-dial").address(hole.address())
                    .sslContext(tls).connectTimeout(Duration.ofSeconds(20)).build();
            CompletableFuture<PoolConn> get = CompletableFuture.supplyAsync(() -> {
                try {
                    return pool.get();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            await("the borrower dialling").atMost(Duration.ofSeconds(5)).until(() -> pool.stats().total() == 1);

            pool.close();

            assertThatThrownBy(() -> get.get(5, TimeUnit.SECONDS)).as(tls == null ? "plain TCP" : "TLS")
                    .isInstanceOf(ExecutionException.class).cause().cause()
                    .isInstanceOf(IOException.class).hasMessageContaining("pool closed");
            assertThat(pool.stats().total()).isZero();
        }
    }

    private static long threadsOf(String factoryName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("gtcp-") && t.getName().endsWith("-" + factoryName)
                        && t.isAlive())
                .count();
    }
}
