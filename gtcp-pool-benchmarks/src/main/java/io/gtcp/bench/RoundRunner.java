package io.gtcp.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one {@link Round}: {@code threads} platform threads, each with its own {@link Contender.Worker} made
 * before the clock starts, released together, each stopping at the deadline or the count bound (or after 1,000
 * errors in all). Every reply's length is checked. The process CPU time is read around the run
 * ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}): CPU per exchange counts what a user pays
 * on a machine that is not idle, which throughput on a half-idle 2-vCPU machine does not show.
 */
final class RoundRunner {

    private static final long MAX_ERRORS = 1000;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final byte[] payload;
    private final long maxOpsPerThread;

    RoundRunner(byte[] payload, long maxOpsPerThread) {
        this.payload = payload.clone();
        this.maxOpsPerThread = maxOpsPerThread;
    }

    /** Runs {@code contender} on {@code threads} threads for {@code millis} (or until the count bound). */
    Round run(Contender contender, int threads, long millis) throws Exception {
        Contender.Worker[] workers = new Contender.Worker[threads];
        try {
            for (int i = 0; i < threads; i++) {
                workers[i] = contender.newWorker();
            }
            return drive(contender.name(), workers, millis);
        } finally {
            for (Contender.Worker w : workers) {
                if (w == null) {
                    continue;
                }
                try {
                    w.close();
                } catch (Exception ignored) {
                    // the round's figures are taken; a worker that fails to close changes nothing
                }
            }
        }
    }

    private Round drive(String name, Contender.Worker[] workers, long millis) throws InterruptedException {
        int threads = workers.length;
        long[] ops = new long[threads];
        long[] ends = new long[threads];
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        long[] deadline = new long[1];
        int expectedReply = payload.length + EchoServer.PREFIX.length;
        Thread[] pool = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int id = i;
            pool[i] = new Thread(() -> {
                Contender.Worker w = workers[id];
                long n = 0;
                try {
                    ready.countDown();
                    go.await();
                    long stopAt = deadline[0]; // published by go
                    while (n < maxOpsPerThread && System.nanoTime() - stopAt < 0) {
                        try {
                            byte[] reply = w.exchange(payload);
                            if (reply.length != expectedReply) {
                                throw new IllegalStateException("reply of " + reply.length + " bytes, expected "
                                        + expectedReply);
                            }
                            n++;
                        } catch (Exception e) {
                            firstError.compareAndSet(null, e.toString());
                            if (errors.incrementAndGet() > MAX_ERRORS) {
                                break;
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    ops[id] = n;
                    ends[id] = System.nanoTime();
                    done.countDown();
                }
            }, "bench-" + name + "-" + i);
            pool[i].setDaemon(true);
            pool[i].start();
        }
        if (!ready.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker threads did not start");
        }
        long cpuBefore = OS.getProcessCpuTime();
        long start = System.nanoTime();
        deadline[0] = start + TimeUnit.MILLISECONDS.toNanos(millis);
        go.countDown();
        if (!done.await(millis + 60_000, TimeUnit.MILLISECONDS)) {
            for (Thread t : pool) {
                t.interrupt();
            }
            throw new IllegalStateException(name + " did not finish its round within a minute");
        }
        long cpu = OS.getProcessCpuTime() - cpuBefore;
        long end = Arrays.stream(ends).max().orElse(start);
        return new Round(Arrays.stream(ops).sum(), end - start, cpu, errors.get(), firstError.get(),
                Arrays.stream(ops).min().orElse(0), Arrays.stream(ops).max().orElse(0));
    }
}
