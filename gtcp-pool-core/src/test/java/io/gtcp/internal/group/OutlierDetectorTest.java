package io.gtcp.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.ExchangeObserver;
import io.gtcp.OutlierEjection;
import io.gtcp.Retry;
import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.Listeners;
import io.gtcp.internal.pool.PoolConfig;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The ejection rules on their own, with the clock passed in: the cases a network test can only reach by luck
 * (a call that was under way when its server died completing after the ejection) and the share table.
 */
class OutlierDetectorTest {

    static final long BASE = TimeUnit.SECONDS.toNanos(10);

    final OutlierDetector detector = new OutlierDetector(new OutlierEjection(3, Duration.ofSeconds(10), 50));

    @Test
    void aSuccessWhileEjectedCountsOnlyIfItIsStillTheLastWordAtTheRestore() {
        Endpoint dying = endpoint("127.0.0.2:9000");
        Members group = members(endpoint("127.0.0.1:9000"), dying, endpoint("127.0.0.3:9000"));
        fail(dying, 3);
        assertThat(detector.failed(dying, 3, group, 0)).isEqualTo(BASE);

        dying.pool.health().recordSuccess(); // a call under way before the server died completes late
        detector.recovered(dying);
        fail(dying, 1);                       // and the next ones fail
        assertThat(detector.restoreIfDue(dying, BASE)).isTrue();

        assertThat(dying.onProbation).isTrue();
        assertThat(detector.failed(dying, 1, members(group.all), BASE + 1)).as("one failure, twice the time")
                .isEqualTo(2 * BASE);
    }

    @Test
    void anEndpointWhoseLastWordWasASuccessComesBackAsGoodAsNew() {
        Endpoint recovered = endpoint("127.0.0.2:9000");
        Members group = members(endpoint("127.0.0.1:9000"), recovered);
        fail(recovered, 3);
        detector.failed(recovered, 3, group, 0);
        recovered.pool.health().recordSuccess();
        detector.recovered(recovered);

        detector.restoreIfDue(recovered, BASE);

        assertThat(recovered.onProbation).isFalse();
        assertThat(detector.failed(recovered, 1, members(group.all), BASE)).as("below the threshold").isZero();
        assertThat(detector.failed(recovered, 3, members(group.all), BASE)).as("the base time again").isEqualTo(BASE);
    }

    @Test
    void theShareOfAGroupThatMayBeEjected() {
        assertThat(detector.maxEjected(1)).isZero();
        assertThat(detector.maxEjected(2)).isEqualTo(1);
        assertThat(detector.maxEjected(3)).isEqualTo(1);
        assertThat(detector.maxEjected(4)).isEqualTo(2);
        OutlierDetector tenPercent = new OutlierDetector(new OutlierEjection(3, Duration.ofSeconds(10), 10));
        assertThat(tenPercent.maxEjected(2)).isEqualTo(1);
        assertThat(tenPercent.maxEjected(19)).isEqualTo(1);
        assertThat(tenPercent.maxEjected(20)).isEqualTo(2);
    }

    private static void fail(Endpoint endpoint, int times) {
        for (int i = 0; i < times; i++) {
            endpoint.pool.health().recordFailure(new IOException("refused"));
        }
    }

    private static Members members(Endpoint... endpoints) {
        return new Members(endpoints);
    }

    private static Endpoint endpoint(String address) {
        PoolConfig config = new PoolConfig("test", address, 0, 0, 1, 0, 0, 0, 0, 0, Retry.NONE, false, 0, null, 0,
                ExchangeObserver.NONE, "set Builder.address");
        AddressPool pool = new AddressPool(address, config, Listeners.NONE, null);
        return new Endpoint(EndpointAddress.literal(address), pool, null);
    }
}
