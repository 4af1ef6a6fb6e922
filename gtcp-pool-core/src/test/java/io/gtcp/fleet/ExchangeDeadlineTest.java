package io.gtcp.fleet;

import static io.gtcp.fleet.ScriptedFleet.Answer.ECHO;
import static io.gtcp.fleet.ScriptedFleet.Answer.NEVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.LoadBalancing;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.testing.BlackHole;
import io.gtcp.testing.Closer;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code *WithTimeout} factory exchange ends within its deadline whatever holds it up: an exhausted pool, a
 * first endpoint whose dials hang, a server that never replies. Every other limit (acquire timeout, connect
 * timeout) is set far longer, so only the call's own deadline can end it in time.
 */
@Timeout(60)
class ExchangeDeadlineTest {

    private static final Duration DEADLINE = Duration.ofMillis(400);
    /** Scheduling slack on a shared machine: far less than any other limit in play (20 s). */
    private static final long SLACK_MILLIS = 3_000;

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    private interface Exchange {
        byte[] run(PoolConnFactory pool) throws Exception;
    }

    private static final Exchange PKG = pool -> pool.sendRecvPkgWithTimeout(new byte[]{1}, DEADLINE);
    private static final Exchange RAW = pool -> pool.sendRecvWithTimeout(new byte[]{0, 1, 1}, 5, DEADLINE);

    private static PoolConnFactory.Builder slowLimits() {
        return PoolConnFactory.builder().acquireTimeout(Duration.ofSeconds(20)).connectTimeout(Duration.ofSeconds(20))
                .readTimeout(Duration.ofSeconds(20)).idempotent(true);
    }

    private static void endsWithinTheDeadline(PoolConnFactory pool, Exchange exchange) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> exchange.run(pool)).isInstanceOf(SocketTimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ms the call took")
                .isLessThan(DEADLINE.toMillis() + SLACK_MILLIS);
    }

    @Test
    void anExhaustedPool() throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO));
        PoolConnFactory pool = closer.using(slowLimits().addresses(fleet.addresses()).maxSize(1).build());
        PoolConn held = closer.using(pool.get());

        endsWithinTheDeadline(pool, PKG);
        endsWithinTheDeadline(pool, RAW);
        assertThat(held.isClosed()).isFalse();
    }

    @Test
    void aFirstEndpointThatBlackHolesDials() throws Exception {
        BlackHole hole = closer.using(BlackHole.full());
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO));
        PoolConnFactory pool = closer.using(slowLimits().addresses(hole.address(), fleet.address(0))
                .loadBalancing(LoadBalancing.FAILOVER).build());

        endsWithinTheDeadline(pool, PKG);
        endsWithinTheDeadline(pool, RAW);
    }

    @Test
    void aBlackHoledFirstEndpointLeavesTimeForTheNextWhenTheConnectTimeoutIsShorter() throws Exception {
        BlackHole hole = closer.using(BlackHole.full());
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(hole.address(), fleet.address(0))
                .loadBalancing(LoadBalancing.FAILOVER).connectTimeout(Duration.ofMillis(200)).build());

        assertThat(pool.sendRecvPkgWithTimeout(new byte[]{'x'}, Duration.ofSeconds(20))).asString()
                .isEqualTo("> x");
    }

    @Test
    void aServerThatNeverReplies() throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(NEVER));
        PoolConnFactory pool = closer.using(slowLimits().addresses(fleet.addresses()).build());

        endsWithinTheDeadline(pool, PKG);
        endsWithinTheDeadline(pool, RAW);
        assertThat(fleet.taken(0)).as("a timeout is never sent again").isEqualTo(2);
    }
}
