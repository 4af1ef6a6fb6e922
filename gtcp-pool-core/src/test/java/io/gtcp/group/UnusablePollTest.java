package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.EndpointStatus;
import io.gtcp.PoolConnFactory;
import io.gtcp.testing.CapturedLog;
import io.gtcp.testing.Closer;
import io.gtcp.testing.ThreeServers;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * api.md: "A poll or resolution of which every entry is unusable is a failed one: it keeps the previous
 * endpoints." Only an answer with no entries at all empties the group; the log says what the group now has.
 */
@Timeout(value = 30, unit = SECONDS)
class UnusablePollTest {

    private final Closer closer = new Closer();
    private final CapturedLog log = CapturedLog.start();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
        log.close();
    }

    @Test
    void aPollOfOnlyMalformedEntriesKeepsThePreviousEndpoints() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        AtomicReference<List<String>> registry = new AtomicReference<>(List.of(servers.address(0)));
        AtomicInteger polls = new AtomicInteger();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().name("unusable").endpointSource(() -> {
            polls.incrementAndGet();
            return registry.get();
        }).refreshEvery(Duration.ofMillis(20)).build());

        registry.set(List.of("not an address", "no-port"));
        int before = polls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= before + 3);

        assertThat(pool.endpoints()).extracting(EndpointStatus::address).containsExactly(servers.address(0));
        assertThat(Calls.call(pool)).isEqualTo(servers.address(0));
        assertThat(log.linesContaining("endpoint group 'unusable'")).filteredOn(l -> l.contains("WARN"))
                .singleElement().asString()
                .contains("no entry could be resolved or used", "keeping the previous endpoints [" + servers.address(0) + "]");

        registry.set(List.of());
        await("an answer without entries empties the group").atMost(Duration.ofSeconds(10))
                .until(() -> pool.endpoints().isEmpty());
    }

    @Test
    void aGroupThatNeverHadEndpointsDoesNotClaimToKeepThem() {
        AtomicInteger polls = new AtomicInteger();
        closer.using(PoolConnFactory.builder().name("never").endpointSource(() -> {
            polls.incrementAndGet();
            return List.of("not an address");
        }).refreshEvery(Duration.ofMillis(20)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= 2);

        assertThat(log.linesContaining("endpoint group 'never'")).filteredOn(l -> l.contains("WARN"))
                .singleElement().asString().contains("the group has no endpoints yet")
                .doesNotContain("keeping the previous endpoints []");
    }
}
