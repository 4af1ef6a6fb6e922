package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.EndpointStatus;
import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;
import io.gtcp.PoolConnFactory;
import io.gtcp.RetryBudget;
import io.gtcp.TcpServer;
import io.gtcp.testing.Closer;
import io.gtcp.testing.ThreeServers;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** api.md: "maxEjectionPercent holds after a refresh shrinks the group." */
@Timeout(value = 30, unit = SECONDS)
class EjectionLimitAfterRefreshTest {

    @AutoClose
    final Closer closer = new Closer();
    final GroupEvents events = new GroupEvents();

    @Test
    void aGroupShrunkFromFourToTwoKeepsAtMostHalfOfItEjected() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        TcpServer fourth = closer.using(new TcpServer("127.0.0.1:0", conn -> { // answers as ThreeServers do
            try {
                for (;;) {
                    byte[] request = conn.recvPkg();
                    conn.sendPkg(("> " + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                }
            } catch (EOFException clientClosed) {
                // the client is done
            }
        }).start());
        String a = servers.address(0);
        String b = servers.address(1);
        String c = servers.address(2);
        String d = "127.0.0.1:" + fourth.port();
        AtomicReference<List<String>> registry = new AtomicReference<>(List.of(a, b, c, d));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().endpointSource(registry::get)
                .retryBudget(RetryBudget.unlimited()) // every failover dial made: the budget is not what is tested
                .refreshEvery(Duration.ofMillis(20)).loadBalancing(LoadBalancing.ROUND_ROBIN)
                .outlierEjection(new OutlierEjection(1, Duration.ofSeconds(60), 50)).listener(events).build());
        servers.stop(1);
        servers.stop(2);
        for (int i = 0; i < 8 && ejected(pool).size() < 2; i++) {
            Calls.call(pool); // b and c refuse: each ejected at its first failure
        }
        assertThat(ejected(pool)).containsExactlyInAnyOrder(b, c); // 2 of 4: the 50 % allowed

        registry.set(List.of(b, c));

        await().atMost(Duration.ofSeconds(10)).until(() -> pool.endpoints().size() == 2);
        assertThat(ejected(pool)).as("at most 50 % of the two left").hasSize(1);
        assertThat(events.restored).hasSize(1);
    }

    private static List<String> ejected(PoolConnFactory pool) {
        return pool.endpoints().stream().filter(EndpointStatus::ejected).map(EndpointStatus::address).toList();
    }
}
