package io.gtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gtcp.testing.Closer;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An exhausted pool says what a person needs: its state, and with leak detection where the holder borrowed. */
class AcquireTimeoutDiagnosticsTest {

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    @Test
    void theTimeoutCarriesThePoolStateAndTheLongestHoldersBorrowStack() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(1)
                .acquireTimeout(Duration.ofMillis(100)).leakDetectionThreshold(Duration.ofMinutes(1)).build());
        closer.using(holdAConnection(pool));

        AcquireTimeoutException e = catchThrowableOfType(pool::get, AcquireTimeoutException.class);

        assertThat(e.waiting()).as("other callers waiting").isZero();
        assertThat(e).hasMessageContaining("active 1, idle 0, pending 0");
        assertThat(e.getSuppressed()).singleElement().satisfies(holder -> assertThat(holder.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("holdAConnection")));
    }

    @Test
    void withoutLeakDetectionNothingIsAttached() throws IOException {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().name("orders").address(server.address())
                .maxSize(1).acquireTimeout(Duration.ofMillis(100)).build());
        closer.using(holdAConnection(pool));

        AcquireTimeoutException e = catchThrowableOfType(pool::get, AcquireTimeoutException.class);

        assertThat(e.getSuppressed()).isEmpty();
        assertThat(e.pool()).isEqualTo("orders"); // like every failure of a factory's endpoint, it names its pool
        assertThat(e).hasMessageStartingWith("pool 'orders': timed out after ").hasMessageContaining(server.address());
        assertThat(Arrays.asList(e.active(), e.idle(), e.waiting(), e.maxSize())).containsExactly(1, 0, 0, 1);
    }

    private static PoolConn holdAConnection(PoolConnFactory pool) throws IOException {
        return pool.get();
    }
}
