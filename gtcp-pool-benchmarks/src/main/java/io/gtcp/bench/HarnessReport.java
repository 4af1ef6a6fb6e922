package io.gtcp.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The harness's output: a Markdown table to paste into BENCHMARKS.md (a row per thread count and contender: its
 * median throughput, CPU per exchange and fairness, and the reference's paired ratios to it), then
 * machine-readable lines for scripts:
 * <pre>
 * MODE timeouts=false group=false pool-size=64 pairs=5 round-ms=1500 [outside=true] [tls=true]
 * TLS &lt;protocol&gt; &lt;cipher suite&gt;                 (with --tls: what the connections negotiated, a line each)
 * RESULT &lt;contender&gt; &lt;threads&gt; &lt;ops/s&gt; &lt;CPU us per exchange&gt; &lt;fairness&gt;
 * RATIO &lt;reference&gt;/&lt;contender&gt; &lt;threads&gt; &lt;throughput ratio&gt; &lt;CPU per exchange ratio&gt;
 * ERRORS &lt;contender&gt; &lt;count&gt; &lt;first error&gt;
 * </pre>
 */
final class HarnessReport {

    private final HarnessSettings settings;
    private final int payloadLength;
    private final Set<String> negotiated;
    private final PrintStream out;

    HarnessReport(HarnessSettings settings, int payloadLength, Set<String> negotiated, PrintStream out) {
        this.settings = settings;
        this.payloadLength = payloadLength;
        this.negotiated = Set.copyOf(negotiated);
        this.out = out;
    }

    void print(Results results) {
        String ref = settings.reference();
        out.println();
        out.println("End to end, " + settings.describe() + "; payload " + payloadLength + " bytes. Each figure is"
                + " the median of its runs; a ratio " + ref + "/X is the median over the pairs of the ratio within"
                + " each pair (throughput: above 1 is " + ref + " faster; CPU per exchange: below 1 is " + ref
                + " cheaper). Fairness: the fewest over the most exchanges of one thread in a run."
                + (settings.tls() ? " TLS negotiated: " + String.join(", ", new TreeSet<>(negotiated)) + "." : ""));
        out.println();
        out.println("| threads | contender | ops/s | CPU µs/exchange | fairness | " + ref + "/it throughput | "
                + ref + "/it CPU per exchange |");
        out.println("|--------:|-----------|------:|----------------:|---------:|------:|------:|");
        for (int t : settings.threads()) {
            for (String n : ordered()) {
                double ops = results.opsPerSecond(n, t);
                if (Double.isNaN(ops)) {
                    continue; // e.g. connect above its thread limit
                }
                boolean isRef = n.equals(ref);
                out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s |%n", t, n, fmt("%,.0f", ops),
                        fmt("%.2f", results.cpuMicrosPerOp(n, t)), fmt("%.2f", results.fairness(n, t)),
                        isRef ? "–" : fmt("%.3f", results.throughputRatio(n, t)),
                        isRef ? "–" : fmt("%.3f", results.cpuRatio(n, t)));
            }
        }
        out.println();
        out.printf(Locale.ROOT, "MODE timeouts=%s group=%s pool-size=%d pairs=%d round-ms=%d%s%s%n",
                settings.timeouts(), settings.group(), settings.poolSize(), settings.pairs(), settings.roundMillis(),
                settings.outside() ? " outside=true" : "", settings.tls() ? " tls=true" : "");
        for (String session : new TreeSet<>(negotiated)) {
            out.println("TLS " + session);
        }
        for (int t : settings.threads()) {
            for (String n : ordered()) {
                double v = results.opsPerSecond(n, t);
                if (!Double.isNaN(v)) {
                    out.printf(Locale.ROOT, "RESULT %s %d %.0f %.3f %.3f%n", n, t, v, results.cpuMicrosPerOp(n, t),
                            results.fairness(n, t));
                }
            }
        }
        for (int t : settings.threads()) {
            for (String n : settings.others()) {
                double v = results.throughputRatio(n, t);
                if (!Double.isNaN(v)) {
                    out.printf(Locale.ROOT, "RATIO %s/%s %d %.3f %.3f%n", ref, n, t, v, results.cpuRatio(n, t));
                }
            }
        }
        for (String n : settings.contenders()) {
            long e = results.totalErrors(n);
            if (e > 0) {
                out.println("ERRORS " + n + " " + e + " " + results.firstError(n));
            }
        }
    }

    /** The reference first, then the others in their order. */
    private List<String> ordered() {
        List<String> list = new ArrayList<>();
        list.add(settings.reference());
        list.addAll(settings.others());
        return list;
    }

    private static String fmt(String format, double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, format, v);
    }
}
