package io.gtcp;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.testing.CapturedLog;
import io.gtcp.testing.Closer;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * api.md, "Logs a person can read": a server that drops every tenth request, called by several threads for a few
 * seconds, fails and recovers hundreds of times; the log says so once (one WARN), not once per failure, and says
 * once (one INFO) that it works again when it has served 10 s without failing.
 */
@Timeout(value = 60, unit = SECONDS)
class FlakyServerLoggingTest {

    private static final int THREADS = 4;
    private static final long FLAKY_NANOS = SECONDS.toNanos(3);
    private static final int MAX_CALLS_PER_THREAD = 20_000;

    private final Closer closer = new Closer();
    private CapturedLog log;

    @BeforeEach
    void capture() {
        log = CapturedLog.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
        log.close();
    }

    @Test
    void aFlakyServerIsOneWarningAndItsRecoveryOneInfo() throws Exception {
        AtomicBoolean flaky = new AtomicBoolean(true);
        AtomicInteger requests = new AtomicInteger();
        TcpServer server = closer.using(new TcpServer("127.0.0.1:0", conn -> {
            try {
                for (;;) {
                    byte[] request = conn.recvPkg();
                    if (flaky.get() && requests.incrementAndGet() % 10 == 0) {
                        return; // dropped: the server closes the connection without a reply
                    }
                    conn.sendPkg(request);
                }
            } catch (EOFException clientClosed) {
                // the client is done
            }
        }).start());
        String address = "127.0.0.1:" + server.port();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().name("flaky").address(address).maxSize(THREADS)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(5)).build());

        AtomicInteger failures = new AtomicInteger();
        AtomicInteger successes = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(THREADS);
        long end = System.nanoTime() + FLAKY_NANOS;
        for (int t = 0; t < THREADS; t++) {
            Thread caller = new Thread(() -> {
                try {
                    for (int i = 0; i < MAX_CALLS_PER_THREAD && System.nanoTime() - end < 0; i++) {
                        if (call(pool)) {
                            successes.incrementAndGet();
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "flaky-caller-" + t);
            caller.setDaemon(true);
            caller.start();
        }
        assertThat(done.await(30, SECONDS)).as("the load ended").isTrue();

        assertThat(failures.get()).as("failed calls (every tenth request dropped)").isGreaterThan(20);
        assertThat(successes.get()).isGreaterThan(failures.get());
        assertThat(aboutTheAddress(address, "WARN")).as("WARN lines about " + address).hasSize(1)
                .allSatisfy(line -> assertThat(line).contains(address + " is failing"));
        assertThat(aboutTheAddress(address, "INFO")).as("INFO lines about " + address + " while it fails").isEmpty();

        flaky.set(false);
        await("the INFO after 10 s without a failure").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> call(pool) && !aboutTheAddress(address, "INFO").isEmpty());

        assertThat(aboutTheAddress(address, "INFO")).hasSize(1)
                .allSatisfy(line -> assertThat(line).contains(address + " works again"));
        assertThat(aboutTheAddress(address, "WARN")).hasSize(1);
    }

    private static boolean call(PoolConnFactory pool) {
        try (PoolConn conn = pool.get()) {
            conn.sendRecvPkg(new byte[] {1, 2, 3});
            return true;
        } catch (IOException dropped) {
            return false;
        }
    }

    /** The lines at {@code level} that name the address, except the factory's own start and close. */
    private List<String> aboutTheAddress(String address, String level) {
        return log.linesContaining(address).stream()
                .filter(line -> line.contains(level) && !line.contains("pool 'flaky' started"))
                .toList();
    }
}
