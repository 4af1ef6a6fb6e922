package io.gtcp.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one harness run measures, from its command line. Presets first ({@code --quick}, {@code --group},
 * {@code --contended}), then the explicit options over them, so that a preset is only a shorthand. Tests build
 * their settings through {@link #parse} as well: one path from arguments to a run.
 *
 * @param threads          the thread counts, each with freshly opened contenders
 * @param contenders       the contenders, by name (see {@link Contenders})
 * @param reference        the contender every other one is paired with and divided by ({@code gtcp})
 * @param pairs            paired rounds per thread count; a figure is the median over them
 * @param roundMillis      the length of one run of one contender
 * @param warmupMillis     the warm-up run per contender (three times as long at the first thread count)
 * @param connectMaxThreads {@code connect} runs only up to this many threads (ephemeral ports)
 * @param maxOpsPerThread  the count bound of one run, beside its time bound
 * @param poolSize         every pool's maximum per address (gtcp {@code maxSize}, commons-pool2 per key)
 * @param timeouts         read+write timeouts on the pools, {@code SO_TIMEOUT} on the sockets
 * @param group            three echo servers on 127.0.0.1/.2/.3 instead of one
 * @param outside          the outside set-up (issue 19.2): its server ({@link EchoServer#startOutside}) and
 *                         {@code raw} with data streams over buffered streams
 * @param tls              TLS 1.3 everywhere ({@link BenchTls}): the echo servers accept only TLS 1.3, {@code raw}
 *                         is an {@code SSLSocket} per thread, gtcp has an {@code sslContext}, commons-pool2 pools
 *                         {@code SSLSocket}s; only the contenders of {@link Contenders#TLS}
 */
public record HarnessSettings(List<Integer> threads, List<String> contenders, String reference, int pairs,
                              long roundMillis, long warmupMillis, int connectMaxThreads, long maxOpsPerThread,
                              int poolSize, boolean timeouts, boolean group, boolean outside, boolean tls) {

    /** The paired rounds of issue 11: raw, gtcp and commons-pool2 in both forms, 1.5 s runs, 5 pairs. */
    public static final List<String> DEFAULT_CONTENDERS = List.of("raw", "gtcp", "commons-pool2", "commons-pool2-tob");

    public HarnessSettings {
        threads = List.copyOf(threads);
        contenders = List.copyOf(contenders);
        if (!contenders.contains(reference)) {
            throw new IllegalArgumentException("the reference " + reference + " is not among the contenders "
                    + contenders);
        }
        if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 1) || pairs < 1 || roundMillis < 1
                || warmupMillis < 0 || poolSize < 1 || maxOpsPerThread < 1) {
            throw new IllegalArgumentException("invalid settings: " + Arrays.asList(threads, pairs, roundMillis,
                    warmupMillis, poolSize, maxOpsPerThread));
        }
        if (tls && !Contenders.TLS.containsAll(contenders)) {
            throw new IllegalArgumentException("--tls runs only " + Contenders.TLS + ", not " + contenders);
        }
    }

    /**
     * The settings for {@code args}: {@code --quick} (3 pairs of 1 s), {@code --group} (gtcp-group against
     * commons-pool2-group over three servers), {@code --contended} (32 threads on a pool of 8, gtcp against
     * commons-pool2), {@code --timeouts}, {@code --tls} (with any of them), and {@code --threads=},
     * {@code --contenders=}, {@code --reference=}, {@code --outside}, {@code --pairs=}, {@code --round-ms=},
     * {@code --warmup-ms=}, {@code --pool-size=}, {@code --max-ops=}.
     */
    public static HarnessSettings parse(String... args) {
        List<Integer> threads = List.of(1, 4, 16, 64);
        List<String> contenders = DEFAULT_CONTENDERS;
        String reference = "gtcp";
        int pairs = 5;
        long roundMillis = 1500;
        long warmupMillis = 1500;
        long maxOps = 50_000_000;
        int poolSize = 64;
        boolean timeouts = false;
        boolean group = false;
        boolean outside = false;
        boolean tls = false;
        List<String> explicit = new ArrayList<>();
        for (String a : args) {
            switch (a) {
                case "--quick" -> {
                    pairs = 3;
                    roundMillis = 1000;
                    warmupMillis = 500;
                }
                case "--group" -> {
                    group = true;
                    contenders = List.of("gtcp-group", "commons-pool2-group");
                    reference = "gtcp-group";
                }
                case "--contended" -> {
                    threads = List.of(32);
                    poolSize = 8;
                    contenders = List.of("gtcp", "commons-pool2");
                }
                case "--timeouts" -> timeouts = true;
                case "--outside" -> outside = true;
                case "--tls" -> tls = true;
                default -> explicit.add(a);
            }
        }
        for (String a : explicit) {
            int eq = a.indexOf('=');
            String key = eq < 0 ? a : a.substring(0, eq);
            String value = eq < 0 ? "" : a.substring(eq + 1);
            switch (key) {
                case "--threads" -> threads = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                case "--contenders" -> contenders = List.of(value.split(","));
                case "--reference" -> reference = value;
                case "--pairs", "--rounds" -> pairs = Integer.parseInt(value);
                case "--round-ms" -> roundMillis = Long.parseLong(value);
                case "--warmup-ms" -> warmupMillis = Long.parseLong(value);
                case "--pool-size" -> poolSize = Integer.parseInt(value);
                case "--max-ops" -> maxOps = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown harness option " + a);
            }
        }
        return new HarnessSettings(threads, contenders, reference, pairs, roundMillis, warmupMillis, 16, maxOps,
                poolSize, timeouts, group, outside, tls);
    }

    /** The contenders other than the reference, in their order. */
    public List<String> others() {
        return contenders.stream().filter(c -> !c.equals(reference)).toList();
    }

    /** A one-line description for the report. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "%s%s%s; %d pairs of %d ms runs per thread count; pool size %d; %s; %s", group
                        ? "three echo servers (127.0.0.1/.2/.3)" : "one echo server", outside
                        ? " of the outside set-up (a new thread per connection, data streams; raw with data streams)"
                        : "", tls ? ", TLS " + BenchTls.PROTOCOL + " only (every contender over TLS)" : "", pairs,
                roundMillis, poolSize,
                timeouts ? "read+write timeouts 5 s (SO_TIMEOUT 5 s on sockets)" : "no timeouts",
                "reference " + reference);
    }
}
