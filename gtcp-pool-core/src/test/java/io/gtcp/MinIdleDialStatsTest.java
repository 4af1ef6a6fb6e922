package io.gtcp;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.testing.Closer;
import io.gtcp.testing.RawPeer;
import io.gtcp.testing.TestTls;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * api.md: "A dial made only to keep minIdle is neither active nor idle." With {@code maxSize(1)} a background dial
 * counted as active made the pool look exhausted (every place borrowed) to health checks and dashboards.
 */
@Timeout(value = 30, unit = SECONDS)
class MinIdleDialStatsTest {

    @AutoClose
    final Closer closer = new Closer();

    @Test
    void aMinIdleDialUnderWayIsNeitherActiveNorIdle() throws IOException {
        RawPeer silent = closer.using(RawPeer.start(RawPeer::discardUntilEof)); // accepts, never answers the handshake
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address("localhost:" + silent.port())
                .sslContext(TestTls.client()).maxSize(1).minIdle(1).connectTimeout(Duration.ofSeconds(20)).build());

        silent.awaitConnections(1); // the housekeeper's minIdle dial is in its handshake

        assertThat(pool.stats()).satisfies(
                s -> assertThat(s.active()).as("active").isZero(),
                s -> assertThat(s.idle()).as("idle").isZero(),
                s -> assertThat(s.total()).as("total").isZero());
    }
}
