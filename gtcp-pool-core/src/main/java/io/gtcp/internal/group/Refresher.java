package io.gtcp.internal.group;

import io.gtcp.internal.io.Addresses;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a group's membership current: polls its {@link io.gtcp.EndpointSource} (or takes its static entries),
 * resolves the host names, and hands the result to the group, once when the factory is built and then every
 * {@code refreshEvery}.
 *
 * <p>Why a thread of its own ({@code gtcp-pool-refresh-<name>}): a resolver or a discovery registry can block for
 * seconds, and neither the borrowers nor the housekeeper (whose ticks expire connections) may wait for it. The
 * thread exists only when refreshing can change anything (a source, or a host name among the entries) and ends
 * with the factory.
 *
 * <p>Why it keeps the old list on failure: a registry or DNS outage says nothing about the servers, which are
 * most likely still there. A person sees one WARN when refreshing starts failing, a reminder at most once a
 * minute while it goes on, and one INFO when it works again, rather than a line every cycle.
 */
final class Refresher {

    private static final Logger log = LoggerFactory.getLogger(Refresher.class);
    private static final long REMIND_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String name;
    private final GroupConfig config;
    private final EndpointGroup group;
    private final EntryResolver resolver;
    private volatile ScheduledThreadPoolExecutor thread;
    /** A refresh asked for by {@link #refreshSoon()} waits on the thread: more requests meanwhile join it. */
    private final AtomicBoolean soonQueued = new AtomicBoolean();
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

    /** One refresh, on the calling thread: the first on the factory's constructor, then on the refresh thread. */
    void refresh() {
        List<Exception> failures = new ArrayList<>();
        List<String> entries;
        if (config.source() != null) {
            try {
                entries = poll(failures);
            } catch (IOException | RuntimeException e) {
                failures.add(e);
                report(failures, "polling the endpoint source failed");
                return; // the previous endpoints stay
            }
        } else {
            entries = config.entries();
        }
        group.update(resolver.resolve(entries, config.source() == null, failures));
        report(failures, "some entries could not be resolved or used");
    }

    /** The source's entries now; malformed ones are left out (and reported), a null answer is a failed poll. */
    private List<String> poll(List<Exception> failures) throws IOException {
        List<String> polled = config.source().endpoints();
        if (polled == null) {
            throw new IOException("the endpoint source returned null");
        }
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

    private void report(List<Exception> failures, String what) {
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
            log.warn("endpoint group '{}': {} ({}{}); keeping the previous endpoints {}", name, what, first,
                    failures.size() > 1 ? " and " + (failures.size() - 1) + " more" : "", group.addresses());
        }
        failing = true;
    }

    /** Starts refreshing every {@code refreshEvery} if there is anything to refresh. */
    void start() {
        if (!hasWork(config)) {
            return;
        }
        String threadName = "gtcp-pool-refresh-" + name;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            return t;
        });
        long every = config.refreshEveryNanos();
        executor.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.NANOSECONDS);
        thread = executor;
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
        if (executor == null) {
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
