package io.gtcp.internal.pool;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure accounting of one address: how many failures in a row it has had. A failed dial (refused, timed
 * out, TLS failure) or an operation that ended in an {@link java.io.IOException} counts one; a completed operation
 * resets the count. A connection found stale by a check does not count: the server closing an idle connection is
 * normal. Outlier ejection of an endpoint group reads this count through an {@link Observer}.
 *
 * <p>It also decides what a person sees in the log: one WARN when the address starts failing (with the cause's
 * message) and one INFO when it works again, instead of a line per failure, and a reminder WARN at most once a
 * minute while it keeps failing.
 *
 * <p>The success path is on every return of a used connection, so it costs one volatile read while the count is
 * already zero; failures are rare and may take their time.
 */
public final class EndpointHealth {

    private static final Logger log = LoggerFactory.getLogger(EndpointHealth.class);
    private static final long REMIND_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Told of each failure and of each recovery (the count going back to zero); runs on the caller's thread. */
    public interface Observer {
        void failed(EndpointHealth health, int consecutiveFailures);

        void recovered(EndpointHealth health);
    }

    private final String address;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile Observer observer;
    private volatile long lastWarnedAt;

    public EndpointHealth(String address) {
        this.address = address;
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

    /** A dial or an operation failed with {@code cause}. */
    public void recordFailure(Throwable cause) {
        int n = consecutiveFailures.incrementAndGet();
        long now = System.nanoTime();
        if (n == 1) {
            lastWarnedAt = now;
            log.warn("{} is failing: {}", address, String.valueOf(cause));
        } else if (now - lastWarnedAt >= REMIND_EVERY_NANOS) {
            lastWarnedAt = now;
            log.warn("{} is still failing ({} failures in a row): {}", address, n, String.valueOf(cause));
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
        if (consecutiveFailures.get() == 0) {
            return;
        }
        int before = consecutiveFailures.getAndSet(0);
        if (before == 0) {
            return;
        }
        log.info("{} works again after {} failures in a row", address, before);
        Observer o = observer;
        if (o != null) {
            o.recovered(this);
        }
    }

    @Override
    public String toString() {
        return address + " (" + consecutiveFailures.get() + " failures in a row)";
    }
}
