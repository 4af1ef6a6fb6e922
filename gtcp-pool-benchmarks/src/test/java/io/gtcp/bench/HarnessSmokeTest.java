package io.gtcp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the end-to-end harness for a moment: every contender must complete exchanges against the echo server and
 * show up in the machine-readable lines. Speed is not asserted; that is what the benchmark itself is for.
 */
class HarnessSmokeTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyContenderCompletesExchanges() throws Exception {
        Harness.Settings settings = Harness.Settings.quick()
                .withThreads(List.of(2))
                .withRounds(1)
                .withRoundMillis(200)
                .withWarmupMillis(50);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Harness harness = new Harness(settings, out);

        Harness.Results results = harness.run();
        harness.report(results);

        for (String contender : Harness.ALL_CONTENDERS) {
            assertThat(results.totalOps(contender)).as("exchanges completed by %s", contender).isPositive();
            assertThat(results.totalErrors(contender)).as("errors of %s", contender).isZero();
        }
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("RESULT gtcp 2 ", "RESULT raw 2 ", "RESULT connect 2 ", "RESULT commons-pool2 2 ",
                "RESULT spring-integration 2 ", "RATIO gtcp/raw 2 ", "RATIO gtcp/spring-integration 2 ");
    }
}
