package io.gtcp.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.PoolConnFactory;
import io.gtcp.TcpServer;
import io.gtcp.testing.Closer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fleet of three servers (127.0.0.1, .2, .3) under 16 threads calling the factory's exchange, while each server
 * in turn is stopped and started again on its address, two rounds. With graceful shutdown and
 * {@code idempotent(true)} no call fails and no reply crosses; without {@code idempotent} no request is processed
 * twice and a call fails only when its request crossed a close (at most one request per connection the server
 * closed, never a timeout); after a hard kill {@code idempotent(true)} still fails no call. A failure prints each
 * of its call's attempts (endpoint and exception).
 */
@Timeout(180)
class RollingRestartTest {

    private static final int THREADS = 16;
    private static final int MAX_CALLS_PER_THREAD = 200_000;
    /** Calls that must complete while a server is down, before it starts again. */
    private static final int CALLS_WHILE_DOWN = 3000;
    private static final int MAX_SIZE = 16;

    private final Closer closer = new Closer();
    private final Fleet fleet = new Fleet();

    @AfterEach
    void tearDown() throws Exception {
        fleet.close();
        closer.close();
    }

    @Test
    void aGracefulRollingRestartFailsNoIdempotentCall() throws Exception {
        Load load = new Load(pool(true));

        load.during(() -> rollingRestart(load, true));

        assertThat(load.failures).as("failed calls, each with its attempts:%n%s", load.attempts()).isEmpty();
        assertThat(load.crossed.get()).as("replies to another request").isZero();
        assertThat(load.completed.get()).isPositive();
    }

    @Test
    void withoutIdempotentNoRequestIsProcessedTwiceAndOnlyRequestsThatCrossedACloseFail() throws Exception {
        Load load = new Load(pool(false));

        load.during(() -> rollingRestart(load, true));

        assertThat(fleet.processedTwice()).as("requests processed twice").isEmpty();
        assertThat(load.crossed.get()).isZero();
        // A request fails only where it met a connection the server closed: each such connection fails at most
        // the one request that crossed its close (the pool then drops it), and a shutdown closes at most the
        // endpoint's maxSize connections. So six shutdowns fail at most 6 x 16 requests, each without a timeout.
        assertThat(load.failures.size()).as("failed calls").isLessThanOrEqualTo(6 * MAX_SIZE);
        for (Map.Entry<String, IOException> failure : load.failures.entrySet()) {
            assertThat(failure.getValue()).as("a failure is a lost connection, never a timeout")
                    .isNotInstanceOf(InterruptedIOException.class);
        }
    }

    @Test
    void aHardKillUnderLoadFailsNoIdempotentCall() throws Exception {
        Load load = new Load(pool(true));

        load.during(() -> rollingRestart(load, false));

        assertThat(load.failures).as("failed calls, each with its attempts:%n%s", load.attempts()).isEmpty();
        assertThat(load.crossed.get()).isZero();
    }

    private PoolConnFactory pool(boolean idempotent) throws IOException {
        fleet.startAll();
        return closer.using(PoolConnFactory.builder().name("rolling").addresses(fleet.addresses())
                .idempotent(idempotent).maxSize(MAX_SIZE).connectTimeout(Duration.ofSeconds(2))
                .acquireTimeout(Duration.ofSeconds(10)).build());
    }

    /** Two rounds: each server stopped (gracefully or killed), calls go on without it, then it starts again. */
    private void rollingRestart(Load load, boolean graceful) throws IOException {
        await().atMost(Duration.ofSeconds(30)).until(() -> load.completed.get() >= 1_000); // warm
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3; i++) {
                if (graceful) {
                    fleet.server(i).shutdown(Duration.ofSeconds(2));
                } else {
                    fleet.server(i).close();
                }
                long before = load.completed.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> load.completed.get() >= before + CALLS_WHILE_DOWN);
                fleet.restart(i);
                long after = load.completed.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> load.completed.get() >= after + CALLS_WHILE_DOWN);
            }
        }
    }

    /** 16 threads calling until told to stop (or a bounded count), recording what failed and what crossed. */
    private static final class Load {
        final PoolConnFactory pool;
        final AtomicLong completed = new AtomicLong();
        final AtomicInteger crossed = new AtomicInteger();
        final Map<String, IOException> failures = new ConcurrentHashMap<>();
        final AtomicBoolean stop = new AtomicBoolean();

        Load(PoolConnFactory pool) {
            this.pool = pool;
        }

        /** Each failed call with every attempt it made (the earlier ones are suppressed in the last). */
        String attempts() {
            StringBuilder text = new StringBuilder();
            failures.forEach((request, e) -> {
                text.append(request).append(": ").append(e).append('\n');
                for (Throwable earlier : e.getSuppressed()) {
                    text.append("    after ").append(earlier).append('\n');
                }
            });
            return text.toString();
        }

        interface Script {
            void run() throws Exception;
        }

        void during(Script script) throws Exception {
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> running = new ArrayList<>();
            try {
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    running.add(threads.submit(() -> callLoop(thread)));
                }
                script.run();
            } finally {
                stop.set(true);
                for (Future<?> f : running) {
                    f.get(60, TimeUnit.SECONDS);
                }
                threads.shutdownNow();
            }
        }

        private void callLoop(int thread) {
            for (int i = 0; i < MAX_CALLS_PER_THREAD && !stop.get(); i++) {
                String request = "t" + thread + "-" + i;
                try {
                    byte[] reply = pool.sendRecvPkg(request.getBytes(StandardCharsets.UTF_8));
                    if (!new String(reply, StandardCharsets.UTF_8).equals("> " + request)) {
                        crossed.incrementAndGet();
                    }
                    completed.incrementAndGet();
                } catch (IOException e) {
                    failures.put(request, e);
                }
            }
        }
    }

    /** Three package servers, each restartable on its own address, counting what they processed per request. */
    private static final class Fleet implements AutoCloseable {
        private final TcpServer[] servers = new TcpServer[3];
        private final String[] addresses = new String[3];
        private final Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();

        void startAll() throws IOException {
            for (int i = 0; i < 3; i++) {
                servers[i] = start("127.0.0." + (i + 1) + ":0");
                addresses[i] = "127.0.0." + (i + 1) + ":" + servers[i].port();
            }
        }

        List<String> addresses() {
            return List.of(addresses);
        }

        TcpServer server(int i) {
            return servers[i];
        }

        void restart(int i) throws IOException {
            servers[i] = start(addresses[i]);
        }

        int processed(String request) {
            AtomicInteger n = processed.get(request);
            return n == null ? 0 : n.get();
        }

        List<String> processedTwice() {
            return processed.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).toList();
        }

        private TcpServer start(String address) throws IOException {
            return TcpServer.ofPkg(address, request -> {
                String text = new String(request, StandardCharsets.UTF_8);
                processed.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
                return ("> " + text).getBytes(StandardCharsets.UTF_8);
            }).start();
        }

        @Override
        public void close() {
            for (TcpServer s : servers) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }
}
