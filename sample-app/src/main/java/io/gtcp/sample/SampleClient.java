package io.gtcp.sample;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.context.SmartLifecycle;

/**
 * The client of gtcp's documentation examples: every interval it takes a connection from the
 * {@link PoolConnFactory}, sends the current date-time, prints the reply with the local and the remote address, and
 * closes the connection, which gives it back to the pool. A failed exchange prints its error alone on a line:
 * {@code EOF} for an end of stream, as Go prints {@code io.EOF}.
 *
 * <p>In example 3 the factory is a group of three servers, and an exchange that fails is tried once more with a
 * fresh {@code get()}: a connection that was idle in the pool when its server went away fails only when used, and
 * the group then hands out a connection to a server that is still there (the echo is safe to repeat). After each
 * exchange it lets the {@link SampleOutage} take its step. Example 4 is a load instead of a loop: see
 * {@link SampleRollingRestart}.
 *
 * <p>It runs on a thread of its own, started after the {@link SampleServer} and stopped before it; in the
 * {@code server} role it does not start (a run-time decision, so that an AOT-processed build serves every role).
 * With a {@code count}, it stops after that many exchanges, failed ones included, and {@link #awaitCompletion()}
 * returns; {@link SampleApplication#main} then exits with status 0.
 */
public final class SampleClient implements SmartLifecycle {

    /** After the server ({@link SampleServer#PHASE}). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    /** gtime.Datetime()'s layout. */
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** How long stop() lets an exchange finish before interrupting it (which closes its connection). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final PoolConnFactory pool;
    private final Duration interval;
    private final long count;
    private final boolean enabled;
    private final boolean retryOnGroup;
    /** Example 5: one call of the pool's exchange against the starter's server, the package protocol. */
    private final boolean service;
    private final SampleOutage outage;
    /** Example 4's run in the {@code both} role, else null. */
    private final SampleRollingRestart rollingRestart;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Thread worker;

    SampleClient(PoolConnFactory pool, SampleProperties properties, SampleOutage outage,
                 SampleRollingRestart rollingRestart) {
        this.pool = pool;
        this.interval = properties.getInterval();
        this.count = properties.getCount();
        this.enabled = properties.getRole().runsClient();
        this.retryOnGroup = properties.getExample() == 3;
        this.service = properties.getExample() == 5;
        this.outage = outage;
        this.rollingRestart = rollingRestart;
    }

    @Override
    public void start() {
        if (!enabled) {
            return;
        }
        // not a daemon: with no count, this thread is what keeps the sample running
        Thread thread = new Thread(this::run, "gtcp-sample-client");
        worker = thread;
        thread.start();
    }

    @Override
    public void stop() {
        stopRequested.countDown();
        Thread thread = worker;
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(STOP_GRACE.toMillis());
            if (thread.isAlive()) {
                // a server that never answers: the interrupt closes the blocked socket channel
                thread.interrupt();
                thread.join(STOP_GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        Thread thread = worker;
        return thread != null && thread.isAlive();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** True when the client runs and stops by itself, after {@code gtcp.sample.count} exchanges. */
    public boolean isBounded() {
        return enabled && (count > 0 || rollingRestart != null);
    }

    /** Waits until the client has stopped: its count reached, or the context closed. */
    public void awaitCompletion() throws InterruptedException {
        finished.await();
    }

    /** Waits at most {@code timeout} for the client to stop; true if it did. */
    public boolean awaitCompletion(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void run() {
        try {
            if (rollingRestart != null) {
                rollingRestart.run(stopRequested);
                return;
            }
            long done = 0;
            do {
                String line = exchange();
                if (Thread.currentThread().isInterrupted()) {
                    return; // stop() cut the exchange short: its error is ours, not the server's
                }
                System.out.println(line);
                done++;
                outage.afterExchange(done);
            } while ((count == 0 || done < count) && !stopRequested.await(interval.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished.countDown();
        }
    }

    /** One exchange of the documentation's loop (in example 3, tried twice if need be), as the line it prints. */
    String exchange() {
        try {
            return attempt();
        } catch (IOException first) {
            if (!retryOnGroup || Thread.currentThread().isInterrupted()) {
                return describe(first);
            }
            try {
                return attempt();
            } catch (IOException | RuntimeException second) {
                return describe(second);
            }
        } catch (RuntimeException e) {
            return describe(e);
        }
    }

    private String attempt() throws IOException {
        if (service) {
            byte[] reply = pool.sendRecvPkg(LocalDateTime.now().format(DATE_TIME).getBytes(StandardCharsets.UTF_8));
            return new String(reply, StandardCharsets.UTF_8);
        }
        try (PoolConn conn = pool.get()) {
            byte[] reply = conn.sendRecv(LocalDateTime.now().format(DATE_TIME).getBytes(StandardCharsets.UTF_8), -1);
            return new String(reply, StandardCharsets.UTF_8) + " " + hostPort(conn.localAddress()) + " "
                    + hostPort(conn.remoteAddress());
        }
    }

    private static String describe(Exception e) {
        if (e instanceof EOFException) {
            return "EOF";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** {@code 127.0.0.1:55876} as Go prints a net.Addr, not {@code /127.0.0.1:55876} as Java does. */
    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        if (address.getAddress() instanceof Inet6Address) {
            host = "[" + host + "]";
        }
        return host + ":" + address.getPort();
    }
}
