package io.gtcp.fleet;

import static io.gtcp.fleet.ScriptedFleet.Answer.ECHO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gtcp.LoadBalancing;
import io.gtcp.PendingLimitException;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.testing.Closer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code maxPending}: a caller that would wait behind that many waiters is refused at once with a
 * {@link PendingLimitException}; and a full endpoint never makes a caller wait while another endpoint of the
 * group has a free place, whatever the balancing policy picked.
 */
@Timeout(60)
class MaxPendingTest {

    /** Far above what a refusal takes, far below the 20 s acquire timeout a wait would last. */
    private static final long AT_ONCE_MILLIS = 2_000;

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    private PoolConnFactory pool(ScriptedFleet fleet, int maxPending) {
        return closer.using(PoolConnFactory.builder().addresses(fleet.addresses()).maxSize(1).maxPending(maxPending)
                .acquireTimeout(Duration.ofSeconds(20)).build());
    }

    @Test
    void maxPendingZeroRefusesAtOnceWhenEveryPlaceIsTaken() throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO));
        PoolConnFactory pool = pool(fleet, 0);
        PoolConn held = closer.using(pool.get());

        long start = System.nanoTime();
        assertThatThrownBy(pool::get).isInstanceOfSatisfying(PendingLimitException.class, e -> {
            assertThat(e.pending()).isZero();
            assertThat(e.maxPending()).isZero();
            assertThat(e.getMessage()).startsWith("pool 'default': " + fleet.address(0) + ": ")
                    .contains("maxPending 0");
        });
        assertThatThrownBy(() -> pool.sendRecvPkg(new byte[]{1})).isInstanceOf(PendingLimitException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(AT_ONCE_MILLIS);

        held.close();
        assertThat(pool.sendRecvPkg(new byte[]{'a'})).asString().isEqualTo("> a"); // a free place: served
    }

    @Test
    void callersBeyondMaxPendingAreRefusedWhileTheOthersWait() throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO));
        PoolConnFactory pool = pool(fleet, 1);
        PoolConn held = pool.get();
        CompletableFuture<byte[]> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.sendRecvPkg(new byte[]{'w'});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().pending() == 1);

        assertThatThrownBy(pool::get).isInstanceOfSatisfying(PendingLimitException.class, e -> {
            assertThat(e.pending()).isEqualTo(1);
            assertThat(e.maxPending()).isEqualTo(1);
        });

        held.close();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).asString().isEqualTo("> w");
    }

    @ParameterizedTest
    @EnumSource(LoadBalancing.class)
    void aFullEndpointSendsTheCallerToAnotherWithAFreePlace(LoadBalancing policy) throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO, ECHO));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(fleet.addresses()).maxSize(1)
                .loadBalancing(policy).acquireTimeout(Duration.ofSeconds(20)).build());
        PoolConn first = closer.using(pool.get());

        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) { // whichever endpoint the policy picks, the free one serves
            try (PoolConn second = pool.get()) {
                assertThat(second.address()).isNotEqualTo(first.address());
            }
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(AT_ONCE_MILLIS);
        assertThat(pool.stats().acquireTimeouts()).isZero();
    }

    @Test
    void theRefusalComesOnlyOnceEveryEndpointIsFull() throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO, ECHO));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(fleet.addresses()).maxSize(1)
                .loadBalancing(LoadBalancing.FAILOVER).maxPending(0).build());
        PoolConn a = closer.using(pool.get());
        PoolConn b = closer.using(pool.get());
        assertThat(a.address()).isNotEqualTo(b.address());

        assertThatThrownBy(pool::get).isInstanceOf(PendingLimitException.class);
    }

    @Test
    void maxPendingBelowMinusOneIsRejected() {
        assertThatThrownBy(() -> PoolConnFactory.builder().maxPending(-2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPending");
    }
}
