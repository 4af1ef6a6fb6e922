package io.gtcp.internal.pool;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background work of one factory's pools, on two kinds of threads so that slow work never delays fast work.
 *
 * <p>One scheduled thread ({@code gtcp-pool-housekeeper-<name>}) ticks at most every second: it closes expired
 * idle connections, checks the idle ones for a peer close (microseconds each, see {@link AddressPool#housekeep}),
 * forgets retired pools, and runs the leak warnings. It never dials: a dial may take the whole connect timeout
 * (a black-holed address), and one such dial would stall every other pool's expiry for that long. Dials that keep
 * {@code minIdle} ready go to a small pool of filler threads ({@code gtcp-pool-filler-<name>}, at most two, ended
 * when idle), at most one task per address at a time, so a dead address occupies at most one of them.
 *
 * <p>Nothing may end the schedule: a periodic task that throws is cancelled silently by its executor, which
 * would stop expiry and {@code minIdle} for good. So every pool's pass is shielded and a failure is logged.
 * {@link #close()} stops both executors and interrupts running dials, so no gtcp thread outlives its factory.
 */
public final class Housekeeper {

    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);
    private static final int FILLER_THREADS = 2;
    private static final long FILLER_KEEP_ALIVE_SECONDS = 5;

    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor filler;
    private final Supplier<? extends Iterable<AddressPool>> pools;
    private final Predicate<AddressPool> retirable;
    private final Consumer<AddressPool> retired;

    /**
     * Starts ticking every {@code periodNanos} over {@code pools} (read again at each tick); a pool that
     * {@code retirable} allows and that stayed unused for a whole idle TTL is handed to {@code retired}.
     */
    public Housekeeper(String name, long periodNanos, Supplier<? extends Iterable<AddressPool>> pools,
                       Predicate<AddressPool> retirable, Consumer<AddressPool> retired) {
        this.pools = pools;
        this.retirable = retirable;
        this.retired = retired;
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemon("gtcp-pool-housekeeper-" + name));
        scheduler.setRemoveOnCancelPolicy(true); // a returned connection's leak watch must not linger
        this.filler = new ThreadPoolExecutor(FILLER_THREADS, FILLER_THREADS, FILLER_KEEP_ALIVE_SECONDS,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon("gtcp-pool-filler-" + name));
        filler.allowCoreThreadTimeOut(true);
        scheduler.scheduleWithFixedDelay(this::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** The scheduled thread, for short timed tasks such as leak warnings. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Tops {@code pool}'s idle set up to {@code minIdle} on a filler thread, unless a fill of it is under way. */
    public void fillSoon(AddressPool pool) {
        PoolUpkeep upkeep = pool.upkeep();
        if (!upkeep.needsFill() || !upkeep.startFill()) {
            return;
        }
        try {
            filler.execute(() -> {
                try {
                    upkeep.fillMinIdle();
                } catch (Throwable e) {
                    report("filling " + pool.address(), e);
                } finally {
                    upkeep.endFill();
                }
            });
        } catch (RejectedExecutionException closing) {
            upkeep.endFill();
        }
    }

    private void tick() {
        for (AddressPool pool : pools.get()) {
            try {
                pool.upkeep().pass();
                fillSoon(pool);
                if (retirable.test(pool) && pool.upkeep().retireIfUnused()) {
                    retired.accept(pool);
                }
            } catch (Throwable e) {
                report("housekeeping of " + pool.address(), e);
            }
        }
    }

    private static void report(String what, Throwable e) {
        try {
            log.error("{} failed; housekeeping goes on", what, e);
        } catch (Throwable loggingFailed) {
            // nothing left to report it with; the schedule must survive anyway
        }
    }

    /** Stops ticking and filling; interrupts a dial in progress. */
    public void close() {
        scheduler.shutdownNow();
        filler.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
