package io.gtcp.chaos;

import static org.awaitility.Awaitility.await;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.awaitility.core.ConditionTimeoutException;

/**
 * Many threads calling through a pool at once, each call a borrow, one {@code sendRecvPkg} of a payload no
 * other call ever sends, and a return, with every invariant the pool owes its callers checked on every call:
 * <ul>
 *   <li>the reply is exactly the server's answer to this call's payload, never another caller's;</li>
 *   <li>a call ends with that reply or an {@link IOException}, nothing else, and within the hang limit (checked
 *       while the call runs, so a call that never returns fails the run instead of hanging it);</li>
 *   <li>a connection whose call failed, or whose stream the proxy desynchronised, is never handed out again.
 *       Connections are told apart by local port and the proxy's count of connections accepted from that port,
 *       so a port the kernel hands to a new connection is not mistaken for the old one.</li>
 * </ul>
 * Violations are collected, not thrown, so a run reports all of them; the test asserts there are none.
 *
 * <p>With {@link #crossThreadCloses(double)}, that share of the calls also has its connection closed from another
 * thread at a random moment of the exchange (the usual Java way to cancel): the exchange then either completed
 * first or ends with an {@code IOException}, and in that case the connection must never be handed out again.
 */
final class ChaosLoad {

    private static final long IDLE = Long.MIN_VALUE;
    /** How long a connection whose port was given up on may take to show up as a new connection at the proxy. */
    private static final Duration NEW_CONNECTION_GRACE = Duration.ofSeconds(5);

    /**
     * What one run saw.
     *
     * @param phase      the run's name
     * @param calls      calls made
     * @param replies    calls that got their correct reply
     * @param failures   calls that ended with an exception, by where ({@code get} or the exchange) and type
     * @param violations broken invariants, each described
     */
    record Outcome(String phase, long calls, long replies, Map<String, Long> failures, List<String> violations) {

        long failed() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public String toString() {
            return phase + ": " + calls + " calls, " + replies + " replies, " + failed() + " failures " + failures
                    + (violations.isEmpty() ? "" : ", " + violations.size() + " VIOLATIONS, first: " + violations.get(0));
        }
    }

    private final PoolConnFactory pool;
    private final ChaosProxy proxy;
    private final Duration hangLimit;
    /**
     * Connections the pool must never hand out again, by local port: the proxy's generation of that port when the
     * connection failed, or when it was returned with its stream desynchronised.
     */
    private final Map<Integer, GivenUp> givenUp = new ConcurrentHashMap<>();
    private double crossThreadCloseRate;
    private ScheduledExecutorService closer;

    private record GivenUp(int generation, String why) {
    }

    /**
     * @param hangLimit the longest a call may take before it counts as hung: the read timeout plus a generous
     *                  margin for the acquire wait, the dial and a loaded machine (it detects hangs, it does not
     *                  measure speed)
     */
    ChaosLoad(PoolConnFactory pool, ChaosProxy proxy, Duration hangLimit) {
        this.pool = pool;
        this.proxy = proxy;
        this.hangLimit = hangLimit;
    }

    /** Closes that share of the borrowed connections from another thread while their exchange runs. */
    ChaosLoad crossThreadCloses(double rate) {
        this.crossThreadCloseRate = rate;
        return this;
    }

    /**
     * Runs {@code threads} threads of at most {@code callsPerThread} calls each, all of them stopping once
     * {@code budget} has passed; returns when every thread has finished.
     */
    Outcome run(String phase, int threads, int callsPerThread, Duration budget, long seed) {
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        LongAdder calls = new LongAdder();
        LongAdder replies = new LongAdder();
        AtomicLongArray callStartedAt = new AtomicLongArray(threads);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        long deadline = System.nanoTime() + budget.toNanos();
        AtomicInteger threadIds = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(threads,
                task -> new Thread(task, "chaos-load-" + phase + "-" + threadIds.getAndIncrement()));
        closer = crossThreadCloseRate > 0
                ? Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "chaos-closer-" + phase))
                : null;
        try {
            for (int t = 0; t < threads; t++) {
                int worker = t;
                callStartedAt.set(worker, IDLE);
                workers.execute(() -> {
                    try {
                        start.await();
                        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + worker);
                        for (int i = 0; i < callsPerThread && System.nanoTime() - deadline < 0; i++) {
                            byte[] payload = payload(phase, worker, i, random);
                            long began = System.nanoTime();
                            callStartedAt.set(worker, began);
                            call(payload, random, replies, failures, violations);
                            callStartedAt.set(worker, IDLE);
                            calls.increment();
                            long took = System.nanoTime() - began;
                            if (took > hangLimit.toNanos()) {
                                violations.add("a call took " + TimeUnit.NANOSECONDS.toMillis(took)
                                        + " ms, over the hang limit of " + hangLimit.toMillis() + " ms");
                            }
                        }
                    } catch (Throwable unexpected) {
                        violations.add("worker " + worker + " died: " + stackTrace(unexpected));
                    } finally {
                        done.countDown();
                    }
                });
            }
            start.countDown();
            await("the " + phase + " workers")
                    .atMost(budget.plus(hangLimit).plus(Duration.ofSeconds(10)))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        failIfAnyCallHangs(callStartedAt);
                        return done.getCount() == 0;
                    });
        } finally {
            if (closer != null) {
                closer.shutdownNow();
            }
            workers.shutdownNow();
            try {
                workers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, Long> failureCounts = new TreeMap<>();
        failures.forEach((type, count) -> failureCounts.put(type, count.sum()));
        return new Outcome(phase, calls.sum(), replies.sum(), failureCounts, new ArrayList<>(violations));
    }

    private void call(byte[] payload, SplittableRandom random, LongAdder replies, Map<String, LongAdder> failures,
                      Queue<String> violations) {
        try {
            PoolConn conn;
            try {
                conn = pool.get();
            } catch (IOException e) {
                count(failures, "get: " + e.getClass().getSimpleName());
                return;
            }
            try (conn) {
                checkNotGivenUp(conn.localAddress().getPort(), violations);
                if (closer != null && random.nextDouble() < crossThreadCloseRate) {
                    closer.schedule(conn::close, random.nextInt(2_000), TimeUnit.MICROSECONDS);
                }
                byte[] reply;
                int port;
                try {
                    reply = conn.sendRecvPkg(payload);
                } catch (IOException e) {
                    port = conn.localAddress().getPort(); // after a reconnect-on-send: the new connection
                    if (conn.isBroken()) { // not broken: closed from another thread before the exchange began
                        givenUp.put(port, new GivenUp(proxy.acceptsFrom(port), "failed with " + e));
                    }
                    count(failures, "exchange: " + e.getClass().getSimpleName());
                    return;
                }
                if (Arrays.equals(reply, EchoServer.reply(payload))) {
                    replies.increment();
                } else {
                    violations.add("wrong reply on " + conn + ": sent " + describe(payload) + ", got "
                            + describe(reply));
                }
                // The proxy records a duplicated reply before writing it, so a desynchronised stream shows here,
                // before the connection goes back. (Under TLS a handshake message may have been duplicated inside
                // get(): that connection is handed out once, fails its call, and is given up above.)
                port = conn.localAddress().getPort();
                int desynced = proxy.desyncedGeneration(port);
                if (desynced != 0 && desynced == proxy.acceptsFrom(port)) {
                    givenUp.put(port, new GivenUp(desynced, "was returned with its stream out of sync"));
                }
            }
        } catch (RuntimeException | Error e) {
            violations.add("a call threw something other than an IOException: " + stackTrace(e));
        }
    }

    /** Records a violation if the connection just borrowed is one that was given up on before. */
    private void checkNotGivenUp(int port, Queue<String> violations) {
        GivenUp before = givenUp.get(port);
        if (before == null || proxy.acceptsFrom(port) > before.generation()) {
            return;
        }
        // Either the old connection is back (a violation) or the kernel reused the port for a new connection
        // whose accept the proxy has not counted yet: a new one shows up at the proxy within moments.
        try {
            await().atMost(NEW_CONNECTION_GRACE).pollInSameThread().pollInterval(Duration.ofMillis(5))
                    .until(() -> proxy.acceptsFrom(port) > before.generation());
        } catch (ConditionTimeoutException sameConnection) {
            violations.add("the connection from local port " + port + " (generation " + before.generation()
                    + ") was handed out again after it " + before.why());
        }
    }

    private void failIfAnyCallHangs(AtomicLongArray callStartedAt) {
        long now = System.nanoTime();
        for (int t = 0; t < callStartedAt.length(); t++) {
            long began = callStartedAt.get(t);
            if (began != IDLE && now - began > hangLimit.toNanos()) {
                throw new AssertionError("worker " + t + " has been in one call for "
                        + TimeUnit.NANOSECONDS.toMillis(now - began) + " ms: over the hang limit of "
                        + hangLimit.toMillis() + " ms");
            }
        }
    }

    /** A payload no other call sends: its phase, thread and number, then up to 600 random bytes. */
    private static byte[] payload(String phase, int worker, int call, SplittableRandom random) {
        byte[] id = (phase + "/" + worker + "/" + call + "/").getBytes(StandardCharsets.US_ASCII);
        byte[] payload = Arrays.copyOf(id, id.length + random.nextInt(600));
        for (int i = id.length; i < payload.length; i++) {
            payload[i] = (byte) random.nextInt(256);
        }
        return payload;
    }

    private static String describe(byte[] bytes) {
        int printable = 0;
        while (printable < bytes.length && printable < 40 && bytes[printable] >= ' ' && bytes[printable] < 127) {
            printable++;
        }
        return "'" + new String(bytes, 0, printable, StandardCharsets.US_ASCII) + "…' (" + bytes.length + " bytes)";
    }

    private static void count(Map<String, LongAdder> failures, String type) {
        failures.computeIfAbsent(type, t -> new LongAdder()).increment();
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
