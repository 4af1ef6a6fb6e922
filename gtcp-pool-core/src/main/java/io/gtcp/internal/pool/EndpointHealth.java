package io.gtcp.internal.pool;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure accounting of one address: how many failures in a row it has had. A failed dial (refused, timed
 * out, TLS failure) or an operation that ended in an {@link java.io.IOException} counts one; a completed operation
 * resets the count at once (not when its connection is returned, so fail, success, fail on one borrow is never two
 * in a row). A connection found stale by a check does not count: the server closing an idle connection is normal.
 * Outlier ejection of an endpoint group reads this count through an {@link Observer}.
 *
 * <p><b>What a person sees in the log</b> is decided here too, and it follows the address's state, not its calls:
 * one WARN when it starts failing (with the cause), then at most one WARN a minute while failures go on, however
 * they alternate with successes (a server dropping every tenth request fails and recovers many times a second,
 * which is one state, "flaky", not thousands of changes), and one INFO once it has served for
 * {@link #QUIET_NANOS 10 s} without a failure. The INFO is noticed by the next completed operation or by the
 * pool's housekeeping pass ({@link #tick()}), whichever comes first, so it comes even when the traffic stops.
 *
 * <p>The success path is on every completed operation, so it costs two volatile reads while the address is
 * healthy; failures are rare and may take their time. The first WARN and the INFO are each claimed by a
 * compare-and-set, so racing threads report a change once.
 */
public final class EndpointHealth {

    private static final Logger log = LoggerFactory.getLogger(EndpointHealth.class);
    /** At most one WARN this often while an address keeps failing. */
    static final long REMIND_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How long an address must serve without failing before the log says it works again. */
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Told of each failure and of each recovery (the count going back to zero); runs on the caller's thread. */
    public interface Observer {
        void failed(EndpointHealth health, int consecutiveFailures);

        void recovered(EndpointHealth health);
    }

    private final String address;
    private final LongSupplier clock;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile Observer observer;

    /** Whether the log said "failing" and has not yet said "works again". */
    private final AtomicInteger reported = new AtomicInteger();
    /** When the last WARN was written ({@link #clock}); claimed by compare-and-set, so one thread writes each. */
    private final AtomicLong lastWarnedAt = new AtomicLong();
    /** Failures since the last WARN, for the reminder. */
    private final AtomicInteger failuresSinceWarn = new AtomicInteger();
    private volatile long lastFailureAt;
    /** An operation completed since the last failure: the quiet time counts only for an address that serves. */
    private volatile boolean servedSinceFailure;

    public EndpointHealth(String address) {
        this(address, System::nanoTime);
    }

    /** With its own clock: for tests of the log's rules over minutes. */
    EndpointHealth(String address, LongSupplier clock) {
        this.address = address;
        this.clock = clock;
    }

    public String address() {
        return address;
    }

    public void observer(Observer observer) {
        this.observer = observer;
    }

    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /**
     * Whether the address failed within {@code withinNanos} and has not completed an operation since. One volatile
     * read while the address works.
     */
    public boolean failedRecently(long withinNanos) {
        return consecutiveFailures.get() != 0 && clock.getAsLong() - lastFailureAt < withinNanos;
    }

    /** A dial or an operation failed with {@code cause}. */
    public void recordFailure(Throwable cause) {
        int n = consecutiveFailures.incrementAndGet();
        long now = clock.getAsLong();
        lastFailureAt = now;
        servedSinceFailure = false;
        int since = failuresSinceWarn.incrementAndGet();
        long warned = lastWarnedAt.get();
        if (reported.get() == 0 && reported.compareAndSet(0, 1)) {
            lastWarnedAt.set(now);
            failuresSinceWarn.set(0);
            log.warn("{} is failing: {}", address, String.valueOf(cause));
        } else if (now - warned >= REMIND_EVERY_NANOS && lastWarnedAt.compareAndSet(warned, now)) {
            failuresSinceWarn.addAndGet(-since);
            log.warn("{} is still failing: {} failure(s) in the last {} s, {} in a row now: {}", address, since,
                    TimeUnit.NANOSECONDS.toSeconds(now - warned), n, String.valueOf(cause));
        } else if (log.isDebugEnabled()) {
            log.debug("{} failed ({} in a row): {}", address, n, String.valueOf(cause));
        }
        Observer o = observer;
        if (o != null) {
            o.failed(this, n);
        }
    }

    /** An operation completed: the address works. */
    public void recordSuccess() {
        if (consecutiveFailures.get() != 0 && consecutiveFailures.getAndSet(0) != 0) {
            Observer o = observer;
            if (o != null) {
                o.recovered(this);
            }
        }
        if (reported.get() != 0) {
            if (!servedSinceFailure) {
                servedSinceFailure = true;
            }
            check(clock.getAsLong());
        }
    }

    /**
     * Says "works again" (once) if the address was reported failing and has served without a failure for
     * {@link #QUIET_NANOS}. On a completed operation, and on the housekeeper's pass so that it is said even
     * when the traffic stopped.
     */
    public void tick() {
        if (reported.get() != 0) {
            check(clock.getAsLong());
        }
    }

    private void check(long now) {
        if (reported.get() == 0 || !servedSinceFailure || now - lastFailureAt < QUIET_NANOS) {
            return;
        }
        if (reported.compareAndSet(1, 0)) {
            log.info("{} works again: no failure for {} s", address, TimeUnit.NANOSECONDS.toSeconds(now - lastFailureAt));
        }
    }

    @Override
    public String toString() {
        return address + " (" + consecutiveFailures.get() + " failures in a row)";
    }
}
