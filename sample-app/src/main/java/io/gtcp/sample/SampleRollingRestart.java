package io.gtcp.sample;

import io.gtcp.PoolConnFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Example 4, a deploy as a fleet sees it: eight threads call the factory's exchange
 * ({@link PoolConnFactory#sendRecvPkg}) as fast as they can while each of the three servers in turn is shut down
 * gracefully ({@code TcpServer.shutdown(2 s)}: no new connection, each live one closed between two messages) and
 * started again on its address. At the end it prints how many calls were made and how many failed: none with
 * {@code gtcp.pool.idempotent=true} (the example's default), a few without it (the requests that crossed a close).
 * Only in the {@code both} role, where the servers are in the same process.
 */
final class SampleRollingRestart {

    private static final int THREADS = 8;
    /** Calls that must complete before the first restart, while a server is down, and after it is back. */
    private static final long CALLS_PER_STEP = 2_000;
    /** The longest a step waits for its calls: a fleet that cannot serve ends the example rather than hanging. */
    private static final Duration STEP_LIMIT = Duration.ofSeconds(30);
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final PoolConnFactory pool;
    private final SampleServer server;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong crossed = new AtomicLong();
    private final AtomicReference<IOException> firstFailure = new AtomicReference<>();
    private volatile boolean stop;

    SampleRollingRestart(PoolConnFactory pool, SampleServer server) {
        this.pool = pool;
        this.server = server;
    }

    /** Example 4's run, printing its steps and its count; ends early if {@code stopRequested} opens. */
    void run(CountDownLatch stopRequested) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread thread = new Thread(() -> callLoop(id), "gtcp-sample-load-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        try {
            boolean going = awaitCalls(stopRequested);
            for (String address : server.addresses()) {
                if (!going) {
                    break;
                }
                System.out.println("# shutting down " + address);
                server.shutdown(address, GRACE);
                going = awaitCalls(stopRequested);
                server.restart(address);
                System.out.println("# restarted " + address);
                going = going && awaitCalls(stopRequested);
            }
        } finally {
            stop = true;
            for (Thread thread : threads) {
                thread.join(GRACE.toMillis());
            }
        }
        System.out.println("calls " + calls.get() + ", failed " + failed.get()
                + (crossed.get() > 0 ? ", crossed replies " + crossed.get() : ""));
        IOException first = firstFailure.get();
        if (first != null) {
            System.out.println("first failure: " + first);
        }
    }

    /** Waits until {@link #CALLS_PER_STEP} more calls completed; false if stopped or out of time. */
    private boolean awaitCalls(CountDownLatch stopRequested) throws InterruptedException {
        long target = calls.get() + CALLS_PER_STEP;
        long deadline = System.nanoTime() + STEP_LIMIT.toNanos();
        while (calls.get() < target) {
            if (System.nanoTime() - deadline > 0 || stopRequested.await(10, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return true;
    }

    private void callLoop(int thread) {
        for (long i = 0; !stop; i++) {
            String request = "t" + thread + " " + i;
            try {
                byte[] reply = pool.sendRecvPkg(request.getBytes(StandardCharsets.UTF_8));
                if (!new String(reply, StandardCharsets.UTF_8).equals("> " + request)) {
                    crossed.incrementAndGet();
                }
                calls.incrementAndGet();
            } catch (IOException e) {
                failed.incrementAndGet();
                calls.incrementAndGet();
                firstFailure.compareAndSet(null, e);
            } catch (RuntimeException e) {
                if (pool.isClosed()) {
                    return; // the application is closing
                }
                throw e;
            }
        }
    }
}
