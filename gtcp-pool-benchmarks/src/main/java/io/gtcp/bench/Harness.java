package io.gtcp.bench;

import io.gtcp.bench.spring.SpringIntegrationContender;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The end-to-end benchmark: the same exchange (a 19-byte package, the reply {@code "> " + payload}) against one
 * in-process loopback {@link EchoServer}, driven by every {@link Contender} at each thread count.
 *
 * <p>Contenders are interleaved: within a thread count each round runs every contender once, in an order that
 * rotates from round to round, so drift on a shared machine (another build, a CPU frequency change) hits them all
 * alike. A contender's figure is the median of its rounds. Every round is bounded in time and in count.
 */
public final class Harness {

    public static final List<String> ALL_CONTENDERS =
            List.of("raw", "connect", "gtcp", "commons-pool2", "spring-integration");

    /** What to run. */
    public record Settings(List<Integer> threads, List<String> contenders, int rounds, long roundMillis,
                           long warmupMillis, int connectMaxThreads, long maxOpsPerThread) {

        public static Settings full() {
            return new Settings(List.of(1, 4, 16, 64), ALL_CONTENDERS, 5, 2000, 1500, 16, 50_000_000);
        }

        public static Settings quick() {
            return new Settings(List.of(1, 4, 16, 64), ALL_CONTENDERS, 3, 1000, 500, 16, 50_000_000);
        }

        public Settings withThreads(List<Integer> t) {
            return new Settings(t, contenders, rounds, roundMillis, warmupMillis, connectMaxThreads, maxOpsPerThread);
        }

        public Settings withContenders(List<String> c) {
            return new Settings(threads, c, rounds, roundMillis, warmupMillis, connectMaxThreads, maxOpsPerThread);
        }

        public Settings withRounds(int r) {
            return new Settings(threads, contenders, r, roundMillis, warmupMillis, connectMaxThreads, maxOpsPerThread);
        }

        public Settings withRoundMillis(long ms) {
            return new Settings(threads, contenders, rounds, ms, warmupMillis, connectMaxThreads, maxOpsPerThread);
        }

        public Settings withWarmupMillis(long ms) {
            return new Settings(threads, contenders, rounds, roundMillis, ms, connectMaxThreads, maxOpsPerThread);
        }
    }

    /** One round of one contender: the exchanges done, in how long, and what went wrong. */
    public record Round(long ops, long nanos, long errors, String firstError) {
        double opsPerSecond() {
            return nanos <= 0 ? 0 : ops * 1e9 / nanos;
        }
    }

    /** Every round of every contender at every thread count. */
    public static final class Results {
        private final Map<String, Map<Integer, List<Round>>> rounds = new LinkedHashMap<>();

        void add(String contender, int threads, Round round) {
            rounds.computeIfAbsent(contender, c -> new LinkedHashMap<>())
                    .computeIfAbsent(threads, t -> new ArrayList<>()).add(round);
        }

        public List<Round> rounds(String contender, int threads) {
            return rounds.getOrDefault(contender, Map.of()).getOrDefault(threads, List.of());
        }

        /** The median of the rounds' throughputs; NaN if the contender did not run. */
        public double opsPerSecond(String contender, int threads) {
            List<Round> list = rounds(contender, threads);
            if (list.isEmpty()) {
                return Double.NaN;
            }
            double[] v = list.stream().mapToDouble(Round::opsPerSecond).sorted().toArray();
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        public long totalOps(String contender) {
            return rounds.getOrDefault(contender, Map.of()).values().stream()
                    .flatMap(List::stream).mapToLong(Round::ops).sum();
        }

        public long totalErrors(String contender) {
            return rounds.getOrDefault(contender, Map.of()).values().stream()
                    .flatMap(List::stream).mapToLong(Round::errors).sum();
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final byte[] payload;

    public Harness(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        // a datetime: 19 bytes, as in the gtcp examples
        this.payload = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                .getBytes(StandardCharsets.US_ASCII);
    }

    public Results run() throws Exception {
        Results results = new Results();
        try (EchoServer server = EchoServer.start()) {
            boolean first = true;
            for (int threads : settings.threads()) {
                List<Contender> contenders = open(server, threads);
                try {
                    // the first thread count also pays for class loading and JIT compilation: warm up longer
                    long warmup = first ? 3 * settings.warmupMillis() : settings.warmupMillis();
                    first = false;
                    for (Contender c : contenders) {
                        round(c, threads, warmup);
                    }
                    for (int r = 0; r < settings.rounds(); r++) {
                        for (int k = 0; k < contenders.size(); k++) {
                            Contender c = contenders.get((k + r) % contenders.size());
                            Round round = round(c, threads, settings.roundMillis());
                            results.add(c.name(), threads, round);
                            out.printf(Locale.ROOT, "# %-18s threads %2d round %d: %,10.0f ops/s%s%n", c.name(),
                                    threads, r + 1, round.opsPerSecond(),
                                    round.errors() == 0 ? "" : ", " + round.errors() + " errors, first: "
                                            + round.firstError());
                        }
                    }
                } finally {
                    for (Contender c : contenders) {
                        try {
                            c.close();
                        } catch (Exception e) {
                            out.println("# closing " + c.name() + " failed: " + e);
                        }
                    }
                }
            }
        }
        return results;
    }

    private List<Contender> open(EchoServer server, int threads) {
        List<Contender> list = new ArrayList<>();
        for (String name : settings.contenders()) {
            if (!name.equals("connect") || threads <= settings.connectMaxThreads()) {
                list.add(contender(name, server));
            }
        }
        return list;
    }

    /** Opens the contender called {@code name} against {@code server}. */
    public static Contender contender(String name, EchoServer server) {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        return switch (name) {
            case "raw" -> new RawContender(address);
            case "connect" -> new ConnectContender(server.address());
            case "gtcp" -> new GtcpContender(server.address());
            case "commons-pool2" -> new CommonsPool2Contender(address);
            case "spring-integration" -> new SpringIntegrationContender("127.0.0.1", server.port(), 64);
            default -> throw new IllegalArgumentException("unknown contender " + name + "; known: " + ALL_CONTENDERS);
        };
    }

    /** Runs {@code contender} on {@code threads} threads for {@code millis} (or until the count bound). */
    Round round(Contender contender, int threads, long millis) throws Exception {
        Contender.Worker[] workers = new Contender.Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = contender.newWorker();
        }
        long[] ops = new long[threads];
        long[] ends = new long[threads];
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        long[] deadline = new long[1];
        int expectedReply = payload.length + EchoServer.PREFIX.length;
        long maxErrors = 1000;
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
                    long max = settings.maxOpsPerThread();
                    while (n < max && System.nanoTime() - stopAt < 0) {
                        try {
                            byte[] reply = w.exchange(payload);
                            if (reply.length != expectedReply) {
                                throw new IllegalStateException("reply of " + reply.length + " bytes, expected "
                                        + expectedReply);
                            }
                            n++;
                        } catch (Exception e) {
                            firstError.compareAndSet(null, e.toString());
                            if (errors.incrementAndGet() > maxErrors) {
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
            }, "bench-" + contender.name() + "-" + i);
            pool[i].setDaemon(true);
            pool[i].start();
        }
        try {
            if (!ready.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("worker threads did not start");
            }
            long start = System.nanoTime();
            deadline[0] = start + TimeUnit.MILLISECONDS.toNanos(millis);
            go.countDown();
            if (!done.await(millis + 60_000, TimeUnit.MILLISECONDS)) {
                for (Thread t : pool) {
                    t.interrupt();
                }
                throw new IllegalStateException(contender.name() + " did not finish its round within a minute");
            }
            long end = Arrays.stream(ends).max().orElse(start);
            return new Round(Arrays.stream(ops).sum(), end - start, errors.get(), firstError.get());
        } finally {
            for (Contender.Worker w : workers) {
                try {
                    w.close();
                } catch (Exception ignored) {
                    // the round's figures are taken; a worker that fails to close changes nothing
                }
            }
        }
    }

    /** A Markdown table of ops/s (rows: thread counts) and the gtcp ratios, then the machine-readable lines. */
    public void report(Results results) {
        List<String> names = settings.contenders();
        StringBuilder header = new StringBuilder("| threads |");
        StringBuilder rule = new StringBuilder("|--------:|");
        for (String n : names) {
            header.append(' ').append(n).append(" |");
            rule.append("-".repeat(Math.max(3, n.length() + 1))).append(":|");
        }
        List<String> others = names.stream().filter(n -> !n.equals("gtcp")).toList();
        boolean ratios = names.contains("gtcp");
        if (ratios) {
            for (String n : others) {
                header.append(" gtcp/").append(n).append(" |");
                rule.append("-".repeat(n.length() + 5)).append(":|");
            }
        }
        out.println();
        out.println("Throughput, ops/s (median of " + settings.rounds() + " rounds of " + settings.roundMillis()
                + " ms; payload " + payload.length + " bytes):");
        out.println();
        out.println(header);
        out.println(rule);
        for (int t : settings.threads()) {
            StringBuilder row = new StringBuilder("| ").append(t).append(" |");
            for (String n : names) {
                double v = results.opsPerSecond(n, t);
                row.append(' ').append(Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v)).append(" |");
            }
            if (ratios) {
                double g = results.opsPerSecond("gtcp", t);
                for (String n : others) {
                    double v = results.opsPerSecond(n, t);
                    row.append(' ').append(Double.isNaN(v) || v == 0 ? "–"
                            : String.format(Locale.ROOT, "%.2f", g / v)).append(" |");
                }
            }
            out.println(row);
        }
        out.println();
        for (int t : settings.threads()) {
            for (String n : names) {
                double v = results.opsPerSecond(n, t);
                if (!Double.isNaN(v)) {
                    out.printf(Locale.ROOT, "RESULT %s %d %.0f%n", n, t, v);
                }
            }
        }
        if (ratios) {
            for (int t : settings.threads()) {
                double g = results.opsPerSecond("gtcp", t);
                for (String n : others) {
                    double v = results.opsPerSecond(n, t);
                    if (!Double.isNaN(v) && v > 0) {
                        out.printf(Locale.ROOT, "RATIO gtcp/%s %d %.3f%n", n, t, g / v);
                    }
                }
            }
        }
        for (String n : names) {
            long e = results.totalErrors(n);
            if (e > 0) {
                out.println("ERRORS " + n + " " + e);
            }
        }
    }
}
