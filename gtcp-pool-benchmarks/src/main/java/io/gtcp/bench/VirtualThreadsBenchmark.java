package io.gtcp.bench;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Many virtual threads, one small pool: {@code 10,000} virtual threads share a gtcp pool of 64 connections to the
 * echo server, each doing a bounded number of exchanges. Reports the throughput, the time {@code get()} waited
 * (p50, p99, max), and every pinning of a virtual thread to its carrier, from JFR's
 * {@code jdk.VirtualThreadPinned} event with no threshold (on Java 21 to 23 run it with
 * {@code -Djdk.tracePinnedThreads=full} as well). The project compiles for Java 17, so the virtual-thread executor
 * is looked up by reflection; on an older JVM the benchmark says so and stops.
 *
 * <p>The reference, {@code fair-semaphore}: the same pool behind a fair {@link Semaphore} of as many permits as
 * connections, taken before {@code get()} and released after {@code close()}, which is how the pool of the first
 * release queued its borrowers (issue 19.3: gtcp's p99 acquire wait is to be no worse than that one's, with the
 * throughput kept). With {@code --pairs=N} the two run in N pairs, alternately first ({@code A B B A ...}), and each
 * figure is reported as the median over the runs with the spread (min..max).
 */
public final class VirtualThreadsBenchmark {

    private VirtualThreadsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = 10_000;
        int poolSize = 64;
        int exchanges = 20;
        int pairs = 0;
        for (String a : args) {
            String v = a.substring(a.indexOf('=') + 1);
            if (a.startsWith("--threads=")) {
                threads = Integer.parseInt(v);
            } else if (a.startsWith("--pool=")) {
                poolSize = Integer.parseInt(v);
            } else if (a.startsWith("--exchanges=")) {
                exchanges = Integer.parseInt(v);
            } else if (a.startsWith("--pairs=")) {
                pairs = Integer.parseInt(v);
            }
        }
        BenchMain.printMachine();
        if (Runtime.version().feature() < 21) {
            System.out.println("VTHREADS skipped: virtual threads need Java 21 or later, this is "
                    + Runtime.version() + "; run it with a newer JAVA_HOME");
            return;
        }
        byte[] payload = "2026-01-01 00:00:00".getBytes(StandardCharsets.US_ASCII);
        try (EchoServer server = EchoServer.start();
             PoolConnFactory pool = PoolConnFactory.builder().name("vthreads").address(server.address())
                     .maxSize(poolSize).build()) {
            // warm-up: JIT, and the pool filled
            run(pool, null, payload, threads / 10, exchanges, false, newVirtualThreadPerTaskExecutor(), "virtual");
            if (pairs > 0) {
                pairs(pool, payload, threads, exchanges, pairs);
                return;
            }
            Path jfr = Files.createTempFile("gtcp-vthreads", ".jfr");
            try (Recording recording = new Recording()) {
                recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                recording.start();
                run(pool, null, payload, threads, exchanges, true, newVirtualThreadPerTaskExecutor(), "virtual");
                recording.stop();
                recording.dump(jfr);
            }
            reportPinning(jfr);
            run(pool, new Semaphore(poolSize, true), payload, threads, exchanges, true,
                    newVirtualThreadPerTaskExecutor(), "virtual");
            // the same tasks on as many platform threads as connections: what the virtual threads cost or save
            run(pool, null, payload, threads, exchanges, true, Executors.newFixedThreadPool(poolSize), "platform");
            System.out.println("# pool after the run: " + pool.stats());
            Files.deleteIfExists(jfr);
        }
    }

    /** gtcp and the fair-semaphore reference in {@code pairs} pairs (A B B A ...), with pinning recorded. */
    private static void pairs(PoolConnFactory pool, byte[] payload, int threads, int exchanges, int pairs)
            throws Exception {
        int poolSize = pool.maxSize();
        List<double[]> gtcp = new java.util.ArrayList<>();
        List<double[]> fair = new java.util.ArrayList<>();
        Path jfr = Files.createTempFile("gtcp-vthreads", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            for (int p = 0; p < pairs; p++) {
                for (int half = 0; half < 2; half++) {
                    boolean semaphoreRun = (p + half) % 2 == 1;
                    double[] r = run(pool, semaphoreRun ? new Semaphore(poolSize, true) : null, payload, threads,
                            exchanges, true, newVirtualThreadPerTaskExecutor(), "virtual");
                    (semaphoreRun ? fair : gtcp).add(r);
                }
            }
            recording.stop();
            recording.dump(jfr);
        }
        reportPinning(jfr);
        Files.deleteIfExists(jfr);
        String[] names = {"throughput ops/s", "acquire p50 ms", "acquire p99 ms", "acquire p99.9 ms", "max ms"};
        for (int i = 0; i < names.length; i++) {
            System.out.printf(Locale.ROOT, "PAIRS %-17s gtcp %s   fair-semaphore %s%n", names[i],
                    medianAndSpread(gtcp, i), medianAndSpread(fair, i));
        }
        double[] p99 = new double[pairs];
        double[] ops = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            p99[p] = gtcp.get(p)[2] / fair.get(p)[2];
            ops[p] = gtcp.get(p)[0] / fair.get(p)[0];
        }
        Arrays.sort(p99);
        Arrays.sort(ops);
        System.out.printf(Locale.ROOT, "PAIRS gtcp/fair-semaphore within the pair: p99 %.3f (%.3f..%.3f), "
                + "throughput %.3f (%.3f..%.3f)%n", p99[pairs / 2], p99[0], p99[pairs - 1], ops[pairs / 2], ops[0],
                ops[pairs - 1]);
    }

    private static String medianAndSpread(List<double[]> runs, int i) {
        double[] v = runs.stream().mapToDouble(r -> r[i]).sorted().toArray();
        return String.format(Locale.ROOT, "%.1f (%.1f..%.1f)", v[v.length / 2], v[0], v[v.length - 1]);
    }

    /** One run; {@code fair} (or null) is taken around each borrow. Returns ops/s and p50, p99, p99.9, max in ms. */
    private static double[] run(PoolConnFactory pool, Semaphore fair, byte[] payload, int threads, int exchanges,
                                boolean report, ExecutorService executor, String kind) throws Exception {
        long[] acquire = new long[threads * exchanges];
        Arrays.fill(acquire, -1);
        AtomicLong ops = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        int expected = payload.length + 2;
        long start = System.nanoTime();
        try {
            for (int t = 0; t < threads; t++) {
                int base = t * exchanges;
                executor.execute(() -> {
                    for (int k = 0; k < exchanges; k++) {
                        try {
                            long t0 = System.nanoTime();
                            if (fair != null) {
                                fair.acquire();
                            }
                            try (PoolConn conn = pool.get()) {
                                acquire[base + k] = System.nanoTime() - t0;
                                byte[] reply = conn.sendRecvPkg(payload);
                                if (reply.length != expected) {
                                    throw new IllegalStateException("reply of " + reply.length + " bytes");
                                }
                            } finally {
                                if (fair != null) {
                                    fair.release();
                                }
                            }
                            ops.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                        }
                    }
                });
            }
            executor.shutdown();
            if (!executor.awaitTermination(5, TimeUnit.MINUTES)) {
                executor.shutdownNow();
                throw new IllegalStateException("virtual threads still running after 5 minutes");
            }
        } finally {
            executor.shutdownNow();
        }
        long nanos = System.nanoTime() - start;
        long[] done = Arrays.stream(acquire).filter(v -> v >= 0).sorted().toArray();
        double[] figures = {ops.get() * 1e9 / nanos, percentile(done, 50) / 1e6, percentile(done, 99) / 1e6,
            percentile(done, 99.9) / 1e6, done.length == 0 ? 0 : done[done.length - 1] / 1e6};
        if (!report) {
            return figures;
        }
        String tag = kind.equals("platform") ? "PLATFORM" : fair != null ? "FAIRSEM" : "VTHREADS";
        System.out.printf(Locale.ROOT, "# %d tasks x %d exchanges on %s threads%s, pool of %d: %,d exchanges in %.2f s%n",
                threads, exchanges, kind, fair != null ? " behind a fair semaphore" : "", pool.maxSize(), ops.get(),
                nanos / 1e9);
        System.out.printf(Locale.ROOT, "%s throughput %.0f ops/s%n", tag, ops.get() * 1e9 / nanos);
        System.out.printf(Locale.ROOT, "%s acquire p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n", tag,
                percentile(done, 50) / 1e6, percentile(done, 99) / 1e6, percentile(done, 99.9) / 1e6,
                done.length == 0 ? 0 : done[done.length - 1] / 1e6);
        System.out.println(tag + " errors " + errors.get() + (errors.get() == 0 ? "" : ", first: " + firstError));
        return figures;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    private static void reportPinning(Path jfr) throws Exception {
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        Map<String, Integer> byFrame = new HashMap<>();
        for (RecordedEvent e : events) {
            String where = "?";
            if (e.getStackTrace() != null) {
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    String type = f.getMethod().getType().getName();
                    where = type + "." + f.getMethod().getName() + ":" + f.getLineNumber();
                    if (type.startsWith("io.gtcp")) {
                        break; // the first frame of ours says who pinned
                    }
                }
            }
            byFrame.merge(where, 1, Integer::sum);
        }
        System.out.println("VTHREADS pinned " + events.size() + " (JFR jdk.VirtualThreadPinned, threshold 0)");
        byFrame.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
                .forEach(e -> System.out.println("#   " + e.getValue() + " at " + e.getKey()));
    }
}
