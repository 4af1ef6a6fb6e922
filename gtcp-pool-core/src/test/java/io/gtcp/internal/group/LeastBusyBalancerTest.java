package io.gtcp.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.ExchangeObserver;
import io.gtcp.Retry;
import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.Listeners;
import io.gtcp.internal.pool.PoolConfig;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the balancer's draw must keep however cheaply it is made (one random long, scaled by multiplies, the second
 * index skipping the first by arithmetic): the two candidates are always distinct, and every endpoint is drawn in
 * either place about equally often, wherever it sits in the array.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LeastBusyBalancerTest {

    private static final int PICKS = 12_000;

    private final LeastBusyBalancer balancer = new LeastBusyBalancer();

    @Test
    void idleEndpointsAreEachPickedAboutEquallyOften() {
        for (int n = 2; n <= 5; n++) {
            Endpoint[] candidates = endpoints(n);
            int[] wins = picks(candidates);
            for (int k = 0; k < n; k++) {
                assertThat(wins[k]).as("endpoint %d of %d (ties go to the first draw)", k, n)
                        .isBetween(PICKS / n * 3 / 4, PICKS / n * 5 / 4);
            }
        }
    }

    @Test
    void theSecondDrawIsNeverTheFirstSoAFailingEndpointNeverWinsWhereverItSits() {
        for (int n = 2; n <= 5; n++) {
            for (int failing = 0; failing < n; failing++) {
                Endpoint[] candidates = endpoints(n);
                candidates[failing].pool.health().recordFailure(new IOException("refused"));
                int[] wins = picks(candidates);
                assertThat(wins[failing]).as("the failing endpoint %d of %d", failing, n).isZero();
                for (int k = 0; k < n; k++) {
                    if (k != failing) { // each of the others wins its share: drawn first, or second beside the failing one
                        assertThat(wins[k]).as("endpoint %d of %d, %d failing", k, n, failing)
                                .isBetween(PICKS / (n - 1) * 3 / 4, PICKS / (n - 1) * 5 / 4);
                    }
                }
            }
        }
    }

    private int[] picks(Endpoint[] candidates) {
        int[] wins = new int[candidates.length];
        for (int p = 0; p < PICKS; p++) {
            Endpoint chosen = balancer.pick(candidates);
            for (int k = 0; k < candidates.length; k++) {
                if (candidates[k] == chosen) {
                    wins[k]++;
                }
            }
        }
        return wins;
    }

    private static Endpoint[] endpoints(int n) {
        Endpoint[] endpoints = new Endpoint[n];
        for (int k = 0; k < n; k++) {
            String address = "127.0.0." + (k + 1) + ":9000";
            PoolConfig config = new PoolConfig("test", address, 0, 0, 1, 0, 0, 0, 0, 0, Retry.NONE, false, 0, null, 0,
                    ExchangeObserver.NONE, "set Builder.address");
            endpoints[k] = new Endpoint(EndpointAddress.literal(address),
                    new AddressPool(address, config, Listeners.NONE, null), null);
        }
        return endpoints;
    }
}
