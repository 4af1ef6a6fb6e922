package io.gtcp.internal.group;

import io.gtcp.internal.io.Addresses;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a group's membership current: polls its {@link io.gtcp.EndpointSource} (or takes its static entries),
 * resolves the host names, and hands the result to the group, once when the factory is built (waiting at most the
 * connect timeout for it), then every {@code refreshEvery}, and when a borrower finds the group empty.
 *
 * <p>Why a thread of its own ({@code gtcp-pool-refresh-<name>}): a resolver or a discovery registry can block for
 * seconds, and neither the application's start, the borrowers nor the housekeeper (whose ticks expire
 * connections) may wait for it without a bound. The thread exists only when refreshing can change anything (a
 * source, or a host name among the entries) and ends with the factory.
 *
 * <p>Why it keeps the old list on failure: a registry or DNS outage says nothing about the servers, which are
 * most likely still there. A poll or resolution of which every entry is unusable (malformed, or names that do not
 * resolve) is such a failure too; only an answer with no entries at all (a service scaled to zero) empties the
 * group. A person sees one WARN when refreshing starts failing, a reminder at most once a
 * minute while it goes on, and one INFO when it works again, rather than a line every cycle.
 */
final class Refresher {

    private static final Logger log = LoggerFactory.getLogger(Refresher.class);
    private static final long REMIND_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** A borrower of an empty group starts a refresh at most this often. */
    private static final long ON_DEMAND_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Without a schedule, the refreshing thread ends after this long without work. */
    private static final long IDLE_THREAD_SECONDS = 10;

    private final String name;
    private final GroupConfig config;
    private final EndpointGroup group;
    private final EntryResolver resolver;
    private volatile ScheduledThreadPoolExecutor thread;
    /** A refresh asked for by {@link #refreshSoon()} waits on the thread: more requests meanwhile join it. */
    private final AtomicBoolean soonQueued = new AtomicBoolean();
    /** Guards {@link #onDemand} and {@link #onDemandAt}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The refresh a borrower of an empty group last asked for (or the first one), and when it was asked. */
    private Future<?> onDemand;
    private long onDemandAt;
    /** Whether {@code build()} stopped waiting for the first refresh. */
    private volatile boolean firstAbandoned;
    // the refreshing thread's own
    private boolean failing;
    private long lastWarnedAt;

    Refresher(String name, GroupConfig config, EndpointGroup group) {
        this.name = name;
        this.config = config;
        this.group = group;
        this.resolver = new EntryResolver(config.resolver());
    }

    /** Whether refreshing can change anything: it is on, and there is a source or a host name to resolve. */
    static boolean hasWork(GroupConfig config) {
        return config.refreshEveryNanos() > 0
                && (config.source() != null || config.entries().stream().anyMatch(EntryResolver::needsResolving));
    }

    /** One refresh: on the refreshing thread, or on the factory's constructor when the entries are IP literals. */
    void refresh() {
        List<Exception> failures = new ArrayList<>();
        List<String> entries;
        int offered;
        if (config.source() != null) {
            List<String> polled;
            try {
                polled = config.source().endpoints();
                if (polled == null) {
                    throw new IOException("the endpoint source returned null");
                }
            } catch (IOException | RuntimeException e) {
                failures.add(e);
                report(failures, "polling the endpoint source failed", true);
                return; // the previous endpoints stay
            }
            offered = polled.size();
            entries = wellFormed(polled, failures);
        } else {
            entries = config.entries();
            offered = entries.size();
        }
        List<EndpointAddress> endpoints = resolver.resolve(entries, failures);
        if (endpoints.isEmpty() && offered > 0) {
            // every entry unusable (malformed, or a name that never resolved): a failed poll, not an empty service
            report(failures, "no entry could be resolved or used", true);
            return;
        }
        group.update(endpoints);
        report(failures, "some entries could not be resolved or used", false);
    }

    /** The well-formed entries of a poll; the malformed ones are left out and reported. */
    private static List<String> wellFormed(List<String> polled, List<Exception> failures) {
        List<String> entries = new ArrayList<>(polled.size());
        for (String entry : polled) {
            try {
                if (entry == null || Addresses.host(Addresses.validate(entry)).isEmpty()) {
                    throw new IllegalArgumentException("invalid address '" + entry + "': expected host:port");
                }
                entries.add(entry);
            } catch (IllegalArgumentException malformed) {
                failures.add(malformed);
            }
        }
        return entries;
    }

    /** Logs a change of the refresh's state; {@code kept}: the group was left as it was. */
    private void report(List<Exception> failures, String what, boolean kept) {
        if (failures.isEmpty()) {
            group.problem(null);
            if (failing) {
                failing = false;
                log.info("endpoint group '{}': refreshing works again; endpoints {}", name, group.addresses());
            }
            return;
        }
        Exception first = failures.get(0);
        for (int i = 1; i < failures.size(); i++) {
            first.addSuppressed(failures.get(i));
        }
        group.problem(first);
        long now = System.nanoTime();
        if (!failing || now - lastWarnedAt >= REMIND_EVERY_NANOS) {
            lastWarnedAt = now;
            List<String> endpoints = group.addresses();
            String outcome = !kept ? "endpoints now " + endpoints : endpoints.isEmpty()
                    ? "the group has no endpoints yet" : "keeping the previous endpoints " + endpoints;
            log.warn("endpoint group '{}': {} ({}{}); {}", name, what, first,
                    failures.size() > 1 ? " and " + (failures.size() - 1) + " more" : "", outcome);
        }
        failing = true;
    }

    /** Whether a refresh may block: there is a source to poll or a host name to resolve. */
    static boolean mayBlock(GroupConfig config) {
        return config.source() != null || config.entries().stream().anyMatch(EntryResolver::needsResolving);
    }

    /**
     * The first refresh, then refreshing every {@code refreshEvery} if there is anything to refresh. Entries that
     * are all IP literals are taken at once, on the caller's thread. Otherwise the first refresh runs on the
     * refreshing thread and the caller ({@code build()}) waits for it at most {@code waitNanos}: a name service
     * or a registry that hangs must not hold up an application's start. When the wait ends first, the group
     * starts empty; that refresh goes on and fills it when it ends, and the next one or a {@code get()} tries
     * again. What the first refresh throws (an {@link Error}, say) is thrown here, as before there was a thread.
     */
    void start(long waitNanos) {
        if (!mayBlock(config)) {
            refresh();
            return;
        }
        String threadName = "gtcp-pool-refresh-" + name;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            return t;
        });
        if (!hasWork(config)) { // no schedule: the thread is there only for the refreshes asked for, and ends
            executor.setKeepAliveTime(IDLE_THREAD_SECONDS, TimeUnit.SECONDS);
            executor.allowCoreThreadTimeOut(true);
        }
        thread = executor;
        Future<?> first;
        lock.lock();
        try {
            first = executor.submit(this::firstRefresh);
            onDemand = first;
            onDemandAt = System.nanoTime();
        } finally {
            lock.unlock();
        }
        if (hasWork(config)) {
            long every = config.refreshEveryNanos();
            executor.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.NANOSECONDS);
        }
        try {
            first.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            firstAbandoned = true;
            log.warn("endpoint group '{}': {} did not answer within {} ms; starting with no endpoints, the next "
                    + "refresh or get() tries again", name, config.source() != null ? "the endpoint source"
                    : "the name service", TimeUnit.NANOSECONDS.toMillis(waitNanos));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            throw cause instanceof RuntimeException unchecked ? unchecked : new IllegalStateException(cause);
        }
    }

    /** The first refresh; if {@code build()} stopped waiting for it, nobody else will see what it throws. */
    private void firstRefresh() {
        try {
            refresh();
        } catch (RuntimeException | Error e) {
            if (firstAbandoned) {
                log.warn("endpoint group '{}': the first refresh failed unexpectedly; trying again later", name, e);
            }
            throw e;
        }
    }

    /**
     * A refresh for a borrower that found the group empty: it joins the one under way (the first may still be),
     * or starts one if the last started at least {@link #ON_DEMAND_GAP_NANOS} ago (an empty service must not
     * turn every failing {@code get()} into a poll), and waits for it at most {@code waitNanos}.
     */
    void refreshAndWait(long waitNanos) throws InterruptedException {
        ScheduledThreadPoolExecutor executor = thread;
        if (executor == null) {
            return; // IP literals only: there is nothing a refresh could find
        }
        Future<?> f;
        lock.lock();
        try {
            f = onDemand;
            long now = System.nanoTime();
            if (f == null || f.isDone() && now - onDemandAt >= ON_DEMAND_GAP_NANOS) {
                f = executor.submit(this::refreshQuietly);
                onDemand = f;
                onDemandAt = now;
            }
        } catch (RejectedExecutionException stopped) {
            return;
        } finally {
            lock.unlock();
        }
        try {
            f.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException | CancellationException e) {
            // the group says what it has; a refresh that failed has been reported
        }
    }

    /** A periodic refresh must survive anything one cycle throws, or the schedule would stop for good. */
    private void refreshQuietly() {
        try {
            refresh();
        } catch (Throwable e) {
            log.warn("endpoint group '{}': refreshing failed unexpectedly; trying again in the next cycle", name, e);
        }
    }

    /**
     * Asks for a refresh now, on the refreshing thread, besides the schedule (a registry told of a change): the
     * caller never waits for the poll, and requests that come while one is queued are served by that one. False
     * when this group does not refresh at all (refreshEvery 0, or nothing that could change) or has stopped.
     */
    boolean refreshSoon() {
        ScheduledThreadPoolExecutor executor = thread;
        if (executor == null || !hasWork(config)) {
            return false;
        }
        if (soonQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    soonQueued.set(false);
                    refreshQuietly();
                });
            } catch (RejectedExecutionException stopped) {
                soonQueued.set(false);
                return false;
            }
        }
        return true;
    }

    void stop() {
        ScheduledThreadPoolExecutor executor = thread;
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
