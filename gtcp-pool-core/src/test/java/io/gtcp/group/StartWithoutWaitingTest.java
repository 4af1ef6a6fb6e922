package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gtcp.EndpointStatus;
import io.gtcp.PoolConnFactory;
import io.gtcp.testing.Closer;
import io.gtcp.testing.ThreeServers;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * api.md, "Nothing blocks a start": {@code build()} waits for a name or a discovery poll no longer than the
 * connect timeout; then the group starts empty, and the refresh under way, the next one or a {@code get()} fills
 * it.
 */
@Timeout(value = 30, unit = SECONDS)
class StartWithoutWaitingTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(300);
    /** A liveness bound: a build() that waited for the hanging look-up would take 20 s. */
    private static final Duration BUILD_BOUND = Duration.ofSeconds(8);

    @AutoClose
    final Closer closer = new Closer();
    final CountDownLatch answer = new CountDownLatch(1);

    @AfterEach
    void release() {
        answer.countDown();
    }

    @Test
    void aHangingNameServiceStartsTheGroupEmptyAndItsAnswerFillsItLater() throws Exception {
        ThreeServers servers = closer.using(ThreeServers.plain());
        CompletableFuture<PoolConnFactory> build = CompletableFuture.supplyAsync(() -> closer.using(
                PoolConnFactory.builder().name("slow-dns").addresses("svc.test:" + servers.port())
                        .connectTimeout(CONNECT_TIMEOUT).refreshEvery(Duration.ofMinutes(10))
                        .resolver(host -> {
                            waitFor(answer);
                            return List.of(servers.ip(0));
                        }).build()));

        assertThat(build).succeedsWithin(BUILD_BOUND);
        PoolConnFactory pool = build.join();
        assertThat(pool.endpoints()).isEmpty();
        assertThatThrownBy(pool::get).isInstanceOf(IOException.class).hasMessageContaining("has no endpoints");

        answer.countDown(); // the resolution under way ends

        await().atMost(Duration.ofSeconds(10)).until(() -> !pool.endpoints().isEmpty());
        assertThat(Calls.call(pool)).isEqualTo(servers.address(0));
    }

    @Test
    void aHangingSourceStartsTheGroupEmptyAndAGetTriesAgain() throws Exception {
        ThreeServers servers = closer.using(ThreeServers.plain());
        AtomicInteger polls = new AtomicInteger();
        CompletableFuture<PoolConnFactory> build = CompletableFuture.supplyAsync(() -> closer.using(
                PoolConnFactory.builder().name("slow-registry").connectTimeout(CONNECT_TIMEOUT)
                        .refreshEvery(Duration.ofMinutes(10)).endpointSource(() -> {
                            if (polls.incrementAndGet() == 1) {
                                waitFor(answer);
                                throw new IOException("the registry timed out");
                            }
                            return List.of(servers.address(1));
                        }).build()));

        assertThat(build).succeedsWithin(BUILD_BOUND);
        PoolConnFactory pool = build.join();
        assertThat(pool.endpoints()).isEmpty();
        answer.countDown(); // the first poll fails; no scheduled refresh for ten minutes

        await("a get() that polls again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> Calls.call(pool).equals(servers.address(1)));
        assertThat(pool.endpoints()).extracting(EndpointStatus::address).containsExactly(servers.address(1));
    }

    @Test
    void aNameThatNeverResolvesIsTriedAgainByGetWithoutASchedule() throws Exception {
        ThreeServers servers = closer.using(ThreeServers.plain());
        AtomicInteger lookups = new AtomicInteger();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses("svc.test:" + servers.port())
                .connectTimeout(CONNECT_TIMEOUT).refreshEvery(Duration.ZERO).resolver(host -> {
                    if (lookups.incrementAndGet() == 1) {
                        throw new UnknownHostException(host + ": not yet");
                    }
                    return List.of(servers.ip(2));
                }).build());
        assertThat(pool.endpoints()).isEmpty();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> Calls.call(pool).equals(servers.address(2)));
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            if (!latch.await(20, SECONDS)) {
                throw new IllegalStateException("the test never answered");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
