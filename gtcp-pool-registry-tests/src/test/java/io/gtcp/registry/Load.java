package io.gtcp.registry;

import io.gtcp.PoolConnFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's steady traffic while the fleet changes: a few threads that call the pool in a loop, bounded in
 * count and in time, counting the replies of each server and every failed call (with its exception, for the
 * report of a failing test).
 */
final class Load implements AutoCloseable {

    private static final int MAX_CALLS_PER_THREAD = 20_000;

    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(50);

    final Map<String, AtomicLong> repliesByServer = new ConcurrentHashMap<>();

    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    final AtomicLong calls = new AtomicLong();

    private final AtomicBoolean stop = new AtomicBoolean();

    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    Load(PoolConnFactory pool, int threads) {
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> run(pool), "fleet-load-" + t);
            thread.setDaemon(true);
            this.threads.add(thread);
            thread.start();
        }
    }

    private void run(PoolConnFactory pool) {
        long until = System.nanoTime() + MAX_NANOS;
        byte[] request = "order".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < MAX_CALLS_PER_THREAD && !this.stop.get() && System.nanoTime() < until; i++) {
            try {
                String reply = new String(pool.sendRecvPkg(request), StandardCharsets.UTF_8);
                this.repliesByServer.computeIfAbsent(reply.substring(0, reply.indexOf(':')), (k) -> new AtomicLong())
                    .incrementAndGet();
            }
            catch (Exception | AssertionError ex) {
                this.failures.add(ex);
            }
            this.calls.incrementAndGet();
        }
    }

    long replies(String server) {
        AtomicLong count = this.repliesByServer.get(server);
        return (count != null) ? count.get() : 0;
    }

    @Override
    public void close() throws InterruptedException {
        this.stop.set(true);
        for (Thread thread : this.threads) {
            thread.join(TimeUnit.SECONDS.toMillis(20));
        }
    }
}
