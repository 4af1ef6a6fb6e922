package io.gtcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.testing.Closer;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17, "Waiters time out beside idle connections?": thousands of borrowers on a small pool with a short
 * acquire timeout. A borrower may time out, but never while connections sit idle for lack of a wake-up: every
 * return must reach a waiter that looks, and a waiter gives up only after a last look found nothing idle. The
 * fair {@code Semaphore} the waiters used to park on woke its queue one thread at a time (a released permit wakes
 * the head, which wakes the next only once it runs), so under virtual threads hundreds of permits piled up while
 * entries stayed idle and their waiters timed out: the timeouts' "idle 8..15" were true at that moment.
 */
class WaitersUnderLoadTest {

    private static final int MAX_SIZE = 16;
    private static final byte[] MESSAGE = "hello, pooled world".getBytes(StandardCharsets.US_ASCII);

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    @Test
    @Timeout(120)
    void virtualThreadsNeverTimeOutBesideIdleConnections() throws Exception {
        ExecutorService virtualThreads = virtualThreadPerTask();
        Assumptions.assumeTrue(virtualThreads != null, "virtual threads need Java 21 or later");
        assertNoTimeoutBesideIdleConnections(virtualThreads, 2_000);
    }

    @Test
    @Timeout(120)
    void platformThreadsNeverTimeOutBesideIdleConnections() throws Exception {
        assertNoTimeoutBesideIdleConnections(Executors.newFixedThreadPool(400), 2_000);
    }

    private void assertNoTimeoutBesideIdleConnections(ExecutorService executor, int tasks) throws Exception {
        PoolTestServer server = closer.using(PoolTestServer.echo());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address(server.address()).maxSize(MAX_SIZE)
                .acquireTimeout(Duration.ofMillis(300)).build());
        ConcurrentLinkedQueue<AcquireTimeoutException> timedOut = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger exchanges = new AtomicInteger();
        try {
            for (int t = 0; t < tasks; t++) {
                executor.execute(() -> {
                    for (int i = 0; i < 20; i++) {
                        try (PoolConn conn = pool.get()) {
                            conn.sendRecvPkg(MESSAGE);
                            exchanges.incrementAndGet();
                        } catch (AcquireTimeoutException e) {
                            timedOut.add(e);
                        } catch (IOException | RuntimeException e) {
                            failures.add(e);
                        }
                    }
                });
            }
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(100, TimeUnit.SECONDS)).as("every task ended").isTrue();
        }
        assertThat(failures).as("failures other than acquire timeouts").isEmpty();
        assertThat(exchanges.get() + timedOut.size()).isEqualTo(tasks * 20);
        // a return racing the last look may leave one or two idle; a lost or late wake-up leaves many
        assertThat(timedOut.stream().filter(e -> e.idle() >= MAX_SIZE / 4).map(Throwable::getMessage).limit(5))
                .as("timeouts while a quarter of the pool or more was idle (%d exchanges, %d timeouts)",
                        exchanges.get(), timedOut.size()).isEmpty();
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()} on Java 21+, else null (the build targets Java 17). */
    private static ExecutorService virtualThreadPerTask() {
        try {
            Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) factory.invoke(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
