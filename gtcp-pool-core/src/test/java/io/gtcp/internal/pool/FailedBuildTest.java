package io.gtcp.internal.pool;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gtcp.PoolConnFactory;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * api.md, "Nothing blocks a start": a {@code build()} that throws leaves no thread behind (housekeeper, filler,
 * refresher, the clock's share), and {@code maxSize} up to 1,000,000 costs nothing for places never used.
 */
@Timeout(value = 30, unit = SECONDS)
class FailedBuildTest {

    @Test
    void aBuildThatThrowsLeavesNoThreadBehind() {
        int clockUsers = CoarseClock.users();

        assertThatThrownBy(() -> PoolConnFactory.builder().name("failed-build").refreshEvery(Duration.ofSeconds(1))
                .endpointSource(() -> {
                    throw new AssertionError("the registry client is broken");
                }).build())
                .isInstanceOf(AssertionError.class).hasMessage("the registry client is broken");

        await().atMost(Duration.ofSeconds(5)).until(() -> threadsOf("failed-build") == 0);
        assertThat(CoarseClock.users()).as("the clock released").isEqualTo(clockUsers);
    }

    private static long threadsOf(String factoryName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("gtcp-") && t.getName().endsWith("-" + factoryName) && t.isAlive())
                .count();
    }
}
