package io.gtcp.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The end-to-end benchmark: the same exchange (a 19-byte package, the reply {@code "> " + payload}) against
 * in-process loopback {@link EchoServer}s, driven by every {@link Contender} at each thread count.
 *
 * <p>Runs are paired with the reference ({@code gtcp}): within a pair the order is a palindrome, the reference,
 * the others, the others backwards, the reference again ({@code A B C C B A}; with one other contender exactly
 * ABBA). Every contender's two runs then sit symmetrically around the pair's middle, so a drift that is linear
 * over the pair (a build starting on the shared machine, a frequency change) adds the same to both sides of
 * each ratio. The others' order rotates from pair to pair. A ratio is the median over the pairs of the ratio
 * within each pair. Every run is bounded in time and in count.
 *
 * <p>With {@code --tls} the servers speak TLS 1.3 only and every contender dials TLS ({@link BenchTls}). The
 * handshakes stay out of the measured runs: the pools dial theirs in the warm-up, and a socket per thread is
 * dialled and settled by one exchange before the clock starts. After each warm-up the harness prints what the
 * servers negotiated, and the report names it.
 */
public final class Harness {

    private final HarnessSettings settings;
    private final PrintStream out;
    private final byte[] payload;
    private final RoundRunner runner;
    /** What the TLS servers negotiated over the whole run, e.g. {@code "TLSv1.3 TLS_AES_256_GCM_SHA384"}. */
    private final Set<String> negotiated = new TreeSet<>();

    public Harness(HarnessSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        // a datetime: 19 bytes, as in the gtcp examples
        this.payload = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                .getBytes(StandardCharsets.US_ASCII);
        this.runner = new RoundRunner(payload, settings.maxOpsPerThread());
    }

    public Results run() throws Exception {
        Results results = new Results();
        List<EchoServer> servers = startServers(settings.group() ? 3 : 1, settings.outside(), settings.tls());
        try {
            boolean first = true;
            for (int threads : settings.threads()) {
                Map<String, Contender> contenders = open(servers, threads);
                try {
                    // the first thread count also pays for class loading and JIT compilation: warm up longer
                    long warmup = first ? 3 * settings.warmupMillis() : settings.warmupMillis();
                    first = false;
                    if (warmup > 0) {
                        for (Contender c : contenders.values()) {
                            runner.run(c, threads, warmup);
                        }
                    }
                    if (settings.tls()) {
                        printNegotiated(servers, threads);
                    }
                    for (int p = 0; p < settings.pairs(); p++) {
                        runPair(contenders, threads, p, results);
                    }
                } finally {
                    for (Contender c : contenders.values()) {
                        try {
                            c.close();
                        } catch (Exception e) {
                            out.println("# closing " + c.name() + " failed: " + e);
                        }
                    }
                }
            }
        } finally {
            servers.forEach(EchoServer::close);
        }
        return results;
    }

    /** Prints what every TLS connection so far negotiated: one protocol and suite, if all went as meant. */
    private void printNegotiated(List<EchoServer> servers, int threads) {
        Set<String> seen = new TreeSet<>();
        servers.forEach(s -> seen.addAll(s.negotiated()));
        negotiated.addAll(seen);
        out.printf(Locale.ROOT, "# TLS at %d threads: every connection so far negotiated %s%n", threads,
                seen.size() == 1 ? seen.iterator().next() : "one of " + seen + " (NOT the same for all)");
    }

    /** What the TLS connections of the run negotiated (protocol and cipher suite), each once; empty without TLS. */
    public Set<String> negotiated() {
        return Set.copyOf(negotiated);
    }

    /** One pair: the palindrome of runs, then each contender's ratio to the reference within it. */
    private void runPair(Map<String, Contender> contenders, int threads, int pair, Results results)
            throws Exception {
        List<String> others = new ArrayList<>(contenders.keySet());
        others.remove(settings.reference());
        if (!others.isEmpty()) {
            Collections.rotate(others, -(pair % others.size()));
        }
        List<String> order = new ArrayList<>();
        order.add(settings.reference());
        order.addAll(others);
        List<String> back = new ArrayList<>(others);
        Collections.reverse(back);
        order.addAll(back);
        order.add(settings.reference());
        Map<String, List<Round>> runs = new LinkedHashMap<>();
        for (String name : order) {
            Round round = runner.run(contenders.get(name), threads, settings.roundMillis());
            runs.computeIfAbsent(name, n -> new ArrayList<>()).add(round);
            results.add(name, threads, round);
            out.printf(Locale.ROOT, "# %-20s threads %2d pair %d: %,10.0f ops/s, %7.2f us CPU/exchange%s%n", name,
                    threads, pair + 1, round.opsPerSecond(), round.cpuMicrosPerOp(), round.errors() == 0 ? ""
                            : ", " + round.errors() + " errors, first: " + round.firstError());
        }
        List<Round> ref = runs.get(settings.reference());
        for (String name : others) {
            List<Round> it = runs.get(name);
            results.addPair(name, threads, Results.PairRatio.of(ref.get(0), ref.get(1), it.get(0), it.get(1)));
        }
    }

    private Map<String, Contender> open(List<EchoServer> servers, int threads) {
        Map<String, Contender> map = new LinkedHashMap<>();
        for (String name : settings.contenders()) {
            if (!name.equals("connect") || threads <= settings.connectMaxThreads()) {
                map.put(name, Contenders.open(name, servers, settings.poolSize(), settings.timeouts(),
                        settings.outside(), settings.tls()));
            }
        }
        return map;
    }

    /** {@code n} echo servers on 127.0.0.1, 127.0.0.2, ...: separate addresses, as separate hosts would be. */
    private static List<EchoServer> startServers(int n, boolean outside, boolean tls) throws IOException {
        List<EchoServer> servers = new ArrayList<>();
        try {
            for (int i = 1; i <= n; i++) {
                InetAddress host = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i});
                servers.add(tls ? EchoServer.startTls(host, outside)
                        : outside ? EchoServer.startOutside(host) : EchoServer.start(host));
            }
        } catch (IOException | RuntimeException e) {
            servers.forEach(EchoServer::close);
            throw e;
        }
        return servers;
    }

    /** Prints the Markdown table and the machine-readable lines of {@code results}. */
    public void report(Results results) {
        new HarnessReport(settings, payload.length, negotiated(), out).print(results);
    }
}
