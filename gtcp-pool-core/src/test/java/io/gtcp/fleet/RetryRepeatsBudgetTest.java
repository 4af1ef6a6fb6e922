package io.gtcp.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.PkgOption;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.Retry;
import io.gtcp.RetryBudget;
import io.gtcp.testing.Closer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gtcp's {@link Retry} repeats of a read or a write are attempts after a call's first too: the factory's retry
 * budget is asked before each, and an empty budget makes none. The server resets the connection once it has the
 * request, so the client's read fails with a reset, the kind of error a {@code Retry} repeats.
 */
@Timeout(30)
class RetryRepeatsBudgetTest {

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    private CompletableFuture<Void> resetAfterTheRequest(ServerSocket server) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                in.readNBytes(3); // header 2 + one byte
                s.setSoLinger(true, 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void anEmptyBudgetRefusesTheRepeatOfAFailedRead() throws Exception {
        ServerSocket server = closer.using(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address("127.0.0.1:" + server.getLocalPort())
                .retryBudget(RetryBudget.none()).build());
        CompletableFuture<Void> served = resetAfterTheRequest(server);
        try (PoolConn conn = pool.get()) {
            PkgOption withRetry = new PkgOption(2, 0, Retry.of(1, Duration.ofMillis(10)));
            assertThatThrownBy(() -> conn.sendRecvPkg(new byte[]{1}, withRetry)).isInstanceOf(IOException.class);
        }
        served.get(10, TimeUnit.SECONDS);

        assertThat(pool.retriesRefused()).as("the Retry's repeat, refused").isEqualTo(1);
        assertThat(pool.retriesAttempted()).isZero();
    }

    @Test
    void anUnlimitedBudgetLetsTheRepeatBeMade() throws Exception {
        ServerSocket server = closer.using(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address("127.0.0.1:" + server.getLocalPort())
                .retryBudget(RetryBudget.unlimited()).build());
        CompletableFuture<Void> served = resetAfterTheRequest(server);
        try (PoolConn conn = pool.get()) {
            PkgOption withRetry = new PkgOption(2, 0, Retry.of(1, Duration.ofMillis(10)));
            assertThatThrownBy(() -> conn.sendRecvPkg(new byte[]{1}, withRetry)).isInstanceOf(IOException.class);
        }
        served.get(10, TimeUnit.SECONDS);

        assertThat(pool.retriesAttempted()).as("the Retry's repeat, made").isEqualTo(1);
        assertThat(pool.retriesRefused()).isZero();
    }
}
