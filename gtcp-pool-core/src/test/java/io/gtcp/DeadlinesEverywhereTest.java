package io.gtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.testing.BlackHole;
import io.gtcp.testing.Closer;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call's deadline also bounds its reconnect-on-send. The pooled connection's server resets it while it is idle,
 * so the call's first write fails and the pool redials; the address's accept queue is full by then (a
 * {@link BlackHole}), so that dial would hang for the whole 20 s connect timeout. Each way of giving the call a
 * deadline must end it with a {@link SocketTimeoutException} instead, well before the connect timeout.
 */
class DeadlinesEverywhereTest {

    private static final Duration DEADLINE = Duration.ofMillis(500);
    /** Hang detection only: far more than the deadline, far less than the connect timeout. */
    private static final long HANG_LIMIT_MILLIS = 8_000;

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    @Test
    void aWithTimeoutCallBoundsItsReconnect() throws IOException {
        PoolConn conn = resetIdleConnectionToAFullServer(PoolConnFactory.builder());
        assertTimesOutWithinHangLimit(() -> conn.sendPkgWithTimeout(new byte[]{1}, DEADLINE));
    }

    @Test
    void theBuildersWriteTimeoutBoundsTheReconnect() throws IOException {
        PoolConn conn = resetIdleConnectionToAFullServer(PoolConnFactory.builder().writeTimeout(DEADLINE));
        assertTimesOutWithinHangLimit(() -> conn.sendPkg(new byte[]{1}));
    }

    @Test
    void theBuildersReadTimeoutAloneBoundsTheReconnectOfAnExchange() throws IOException {
        // issue 17: the budget of a sendRecv* call is write + read timeout, an unset one counting as zero
        PoolConn conn = resetIdleConnectionToAFullServer(PoolConnFactory.builder().readTimeout(DEADLINE));
        assertTimesOutWithinHangLimit(() -> conn.sendRecvPkg(new byte[]{1}));
    }

    @Test
    void theBuildersReadTimeoutAloneBoundsTheReconnectOfARawExchange() throws IOException {
        PoolConn conn = resetIdleConnectionToAFullServer(PoolConnFactory.builder().readTimeout(DEADLINE));
        assertTimesOutWithinHangLimit(() -> conn.sendRecv(new byte[]{1}, 1));
    }

    @Test
    void aSendDeadlineBoundsTheReconnect() throws IOException {
        PoolConn conn = resetIdleConnectionToAFullServer(PoolConnFactory.builder());
        conn.setDeadlineSend(Instant.now().plus(DEADLINE));
        assertTimesOutWithinHangLimit(() -> conn.send(new byte[]{1}));
    }

    private interface Call {
        void run() throws IOException;
    }

    private void assertTimesOutWithinHangLimit(Call call) {
        long start = System.nanoTime();
        assertThatThrownBy(call::run).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("deadline");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ms the call took")
                .isLessThan(HANG_LIMIT_MILLIS);
    }

    /** An idle pooled connection that its server has reset, borrowed again while its address accepts nothing. */
    private PoolConn resetIdleConnectionToAFullServer(PoolConnFactory.Builder builder) throws IOException {
        BlackHole hole = closer.using(BlackHole.notYetFull());
        PoolConnFactory pool = closer.using(builder.address(hole.address()).maxSize(1)
                .connectTimeout(Duration.ofSeconds(20)).validateOnBorrow(false).build());
        pool.get().close(); // to the idle set
        Socket serverSide = hole.acceptOne();
        serverSide.setSoLinger(true, 0);
        serverSide.close(); // a reset: the client's next write fails
        hole.fill();
        return closer.using(pool.get());
    }
}
