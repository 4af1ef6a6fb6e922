package io.gtcp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs each mode of the end-to-end harness for a moment (one pair of 100 ms runs): every contender must complete
 * exchanges against the echo server(s) without an error, and the report must carry its table row and its
 * machine-readable lines. Speed is not asserted; that is what the benchmark itself is for.
 */
class HarnessSmokeTest {

    private static final String TINY = "--pairs=1 --round-ms=100 --warmup-ms=20";

    /** A finished harness run: its results, everything it printed, and what its TLS connections negotiated. */
    private record Run(Results results, String report, Set<String> negotiated) {
    }

    private static Run run(String args) throws Exception {
        HarnessSettings settings = HarnessSettings.parse((TINY + " " + args).trim().split(" "));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Harness harness = new Harness(settings, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Results results = harness.run();
        harness.report(results);
        return new Run(results, bytes.toString(StandardCharsets.UTF_8), harness.negotiated());
    }

    private static void assertCompleted(Run run, List<String> contenders) {
        for (String contender : contenders) {
            assertThat(run.results().totalErrors(contender)).as("errors of %s: %s", contender,
                    run.results().firstError(contender)).isZero();
            assertThat(run.results().totalOps(contender)).as("exchanges completed by %s", contender).isPositive();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everySingleServerContenderCompletesExchangesWithCpuAndPairedRatios() throws Exception {
        List<String> all = List.of("raw", "connect", "gtcp", "commons-pool2", "commons-pool2-tob",
                "spring-integration");
        Run run = run("--threads=2 --contenders=" + String.join(",", all));

        assertCompleted(run, all);
        assertThat(run.results().cpuMicrosPerOp("gtcp", 2)).isPositive();
        assertThat(run.results().throughputRatio("raw", 2)).isPositive();
        assertThat(run.results().cpuRatio("commons-pool2-tob", 2)).isPositive();
        assertThat(run.report()).contains("| threads | contender | ops/s | CPU µs/exchange | fairness |",
                "| 2 | gtcp | ", "| 2 | commons-pool2-tob | ", "MODE timeouts=false group=false pool-size=64",
                "RESULT gtcp 2 ", "RESULT raw 2 ", "RESULT connect 2 ", "RESULT commons-pool2 2 ",
                "RESULT commons-pool2-tob 2 ", "RESULT spring-integration 2 ", "RATIO gtcp/raw 2 ",
                "RATIO gtcp/commons-pool2-tob 2 ", "RATIO gtcp/spring-integration 2 ");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void timeoutsModeRunsTheDefaultContendersWithTimeouts() throws Exception {
        Run run = run("--timeouts --threads=1,2");

        assertCompleted(run, HarnessSettings.DEFAULT_CONTENDERS);
        assertThat(run.report()).contains("MODE timeouts=true", "RATIO gtcp/raw 1 ", "RATIO gtcp/raw 2 ",
                "RATIO gtcp/commons-pool2 2 ");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void contendedModeRuns32ThreadsOnAPoolOf8AndReportsFairness() throws Exception {
        Run run = run("--contended");

        assertCompleted(run, List.of("gtcp", "commons-pool2"));
        assertThat(run.results().fairness("gtcp", 32)).isBetween(0.0, 1.0);
        assertThat(run.report()).contains("MODE timeouts=false group=false pool-size=8", "RESULT gtcp 32 ",
                "RATIO gtcp/commons-pool2 32 ");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void outsideSetUpRunsAgainstAThreadPerConnectionServerWithDataStreams() throws Exception {
        List<String> contenders = List.of("raw", "gtcp", "commons-pool2");
        Run run = run("--outside --timeouts --threads=2 --contenders=" + String.join(",", contenders));

        assertCompleted(run, contenders);
        assertThat(run.report()).contains("outside=true", "RATIO gtcp/raw 2 ", "RATIO gtcp/commons-pool2 2 ");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tlsModeRunsRawGtcpAndCommonsPool2OverTls13WithCpuAndPairedRatios() throws Exception {
        List<String> contenders = List.of("raw", "gtcp", "commons-pool2");
        Run run = run("--tls --threads=1,2 --contenders=" + String.join(",", contenders));

        assertCompleted(run, contenders);
        assertThat(run.results().cpuMicrosPerOp("raw", 2)).isPositive();
        assertThat(run.results().cpuRatio("raw", 2)).isPositive();
        assertThat(run.report()).contains("MODE timeouts=false group=false pool-size=64", " tls=true",
                "TLS TLSv1.3 TLS_", "RATIO gtcp/raw 1 ", "RATIO gtcp/raw 2 ", "RATIO gtcp/commons-pool2 2 ");
        assertThat(run.negotiated()).singleElement().asString().startsWith("TLSv1.3 TLS_");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tlsModeWithTimeoutsRunsTheOutsideSetUpToo() throws Exception {
        List<String> contenders = List.of("raw", "gtcp", "commons-pool2", "commons-pool2-tob");
        Run timeouts = run("--tls --timeouts --threads=2 --contenders=" + String.join(",", contenders));
        Run outside = run("--tls --timeouts --outside --threads=2 --contenders=raw,gtcp");

        assertCompleted(timeouts, contenders);
        assertCompleted(outside, List.of("raw", "gtcp"));
        assertThat(timeouts.report()).contains("MODE timeouts=true", " tls=true", "TLS TLSv1.3 TLS_",
                "RATIO gtcp/commons-pool2-tob 2 ");
        assertThat(outside.report()).contains("outside=true tls=true", "RATIO gtcp/raw 2 ");
        assertThat(timeouts.negotiated()).singleElement().asString().startsWith("TLSv1.3 TLS_");
        assertThat(outside.negotiated()).isEqualTo(timeouts.negotiated());
    }

    @Test
    void tlsRefusesTheContendersWithoutATlsForm() {
        assertThatThrownBy(() -> HarnessSettings.parse("--tls", "--contenders=raw,gtcp,connect"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tls");
        assertThatThrownBy(() -> HarnessSettings.parse("--tls", "--contenders=gtcp,spring-integration"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tls");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void groupModeSpreadsOverThreeServers() throws Exception {
        Run run = run("--group --threads=4");

        assertThat(run.report()).contains("MODE timeouts=false group=true", "RESULT commons-pool2-group 4 ",
                "RESULT gtcp-group 4 ");
        assertCompleted(run, List.of("commons-pool2-group", "gtcp-group"));
        assertThat(run.report()).contains("RATIO gtcp-group/commons-pool2-group 4 ");
    }
}
