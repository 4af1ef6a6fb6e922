package io.gtcp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.sample.SampleApplicationTests.Run;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Example 4, run as {@code java -jar} would run it: three package servers on 127.0.0.1, .2 and .3 shut down
 * gracefully and restarted one after another under eight threads of factory exchanges; with the example's default
 * {@code gtcp.pool.idempotent=true} the count of failed calls it prints is 0.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(120)
class SampleRollingRestartExampleTests {

    private static final Pattern COUNT = Pattern.compile("calls (\\d+), failed (\\d+)");

    @Test
    void exampleFourRestartsEachServerUnderLoadWithoutAFailedCall(CapturedOutput output) throws Exception {
        Run run = SampleApplicationTests.runToCompletion(output, "--gtcp.sample.example=4", "--gtcp.sample.port=0");
        int port = run.serverPort();

        assertThat(run.lines()).startsWith("# shutting down 127.0.0.1:" + port, "# restarted 127.0.0.1:" + port,
                "# shutting down 127.0.0.2:" + port, "# restarted 127.0.0.2:" + port,
                "# shutting down 127.0.0.3:" + port, "# restarted 127.0.0.3:" + port);
        assertThat(run.lines()).hasSize(7);
        Matcher count = COUNT.matcher(run.lines().get(6));
        assertThat(count.matches()).as(run.lines().get(6)).isTrue();
        assertThat(Long.parseLong(count.group(1))).as("calls").isGreaterThanOrEqualTo(6 * 2_000);
        assertThat(Long.parseLong(count.group(2))).as("failed calls").isZero();
    }

    @Test
    void withoutIdempotentTheCountSaysHowManyCallsFailed(CapturedOutput output) throws Exception {
        Run run = SampleApplicationTests.runToCompletion(output, "--gtcp.sample.example=4", "--gtcp.sample.port=0",
                "--gtcp.pool.idempotent=false");

        List<String> counts = run.lines().stream().filter(line -> COUNT.matcher(line).lookingAt()).toList();
        assertThat(counts).singleElement().asString().matches(COUNT.pattern() + "(, crossed replies \\d+)?")
                .doesNotContain("crossed");
    }
}
