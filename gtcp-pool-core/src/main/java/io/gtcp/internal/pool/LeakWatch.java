package io.gtcp.internal.pool;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leak detection of one address's pool: remembers where each connection was borrowed and warns (with that stack)
 * when one is held past the threshold. The same stacks explain an exhausted pool: the longest holder's is what a
 * person needs to find the code that keeps connections, so an acquire timeout carries it.
 *
 * <p>It costs nothing while off (the threshold is zero): the borrow path then never reaches this class. While on,
 * each borrow allocates its stack and schedules a task, which is what leak detection costs in every pool.
 */
final class LeakWatch {

    private static final Logger log = LoggerFactory.getLogger(LeakWatch.class);

    private final String address;
    private final long thresholdNanos;
    private final ScheduledExecutorService scheduler;

    LeakWatch(String address, long thresholdNanos, ScheduledExecutorService scheduler) {
        this.address = address;
        this.thresholdNanos = thresholdNanos;
        this.scheduler = scheduler;
    }

    boolean isOn() {
        return thresholdNanos > 0;
    }

    /** Records where {@code entry} is borrowed and schedules the warning; by the entry's new owner. */
    void watch(PoolEntry entry, Listeners listeners) {
        Exception borrowedHere = new Exception("the connection was borrowed here");
        entry.borrowStack = borrowedHere;
        String link = entry.link.toString();
        try {
            entry.leakTask = scheduler.schedule(() -> {
                log.warn("possible connection leak: {} to {} has been borrowed for more than {} ms without being "
                        + "closed", link, address, TimeUnit.NANOSECONDS.toMillis(thresholdNanos), borrowedHere);
                listeners.connectionLeaked(address, thresholdNanos, borrowedHere);
            }, thresholdNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException factoryClosing) {
            entry.leakTask = null; // the factory is closing: the connection is closed when it comes back
        }
    }

    /** Ends the watch of a borrow; by the entry's owner as it gives it back. */
    static void end(PoolEntry entry) {
        if (entry.leakTask != null) {
            entry.leakTask.cancel(false);
            entry.leakTask = null;
        }
        entry.borrowStack = null;
    }

    /**
     * Where the connection borrowed longest ago was borrowed, as an exception to attach to an acquire timeout;
     * null if none is known. Reads other owners' entries without owning them: a diagnostic, good enough if an
     * entry changes hands meanwhile.
     */
    Exception longestHolder(Slots slots, long now) {
        PoolEntry oldest = null;
        Exception stack = null;
        for (int i = 0; i < slots.length(); i++) {
            PoolEntry e = slots.getAcquire(i);
            Exception s = e == null || e.state() != PoolEntry.IN_USE ? null : e.borrowStack;
            if (s != null && (oldest == null || e.borrowedAt - oldest.borrowedAt < 0)) {
                oldest = e;
                stack = s;
            }
        }
        if (stack == null) {
            return null;
        }
        Exception holder = new Exception("the connection held longest (" + TimeUnit.NANOSECONDS.toMillis(
                now - oldest.borrowedAt) + " ms) was borrowed here");
        holder.setStackTrace(stack.getStackTrace());
        return holder;
    }
}
