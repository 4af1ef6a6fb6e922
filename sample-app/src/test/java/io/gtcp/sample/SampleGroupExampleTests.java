package io.gtcp.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.Conn;
import io.gtcp.PoolConnFactory;
import io.gtcp.sample.SampleApplicationTests.Run;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Example 3, run as {@code java -jar} would run it: three echo servers on 127.0.0.1, .2 and .3, a client over a
 * least-busy group of the three, and one server away for the middle third of the run. The console must show one
 * exchange line per exchange, in the format of gtcp's documentation, and the two outage markers in their places:
 * the client carries on.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class SampleGroupExampleTests {

    /** An exchange line of example 3: the remote address is one of the group's. */
    static final Pattern GROUP_REPLY = Pattern.compile(
            "> \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} 127\\.0\\.0\\.[123]:\\d{1,5} (127\\.0\\.0\\.[123]:\\d{1,5})");

    @Test
    void exampleThreeCarriesOnWhileOneServerIsAwayAndBack(CapturedOutput output) throws Exception {
        Run run = SampleApplicationTests.runToCompletion(output, "--gtcp.sample.example=3", "--gtcp.sample.port=0",
                "--gtcp.sample.count=9", "--gtcp.sample.interval=50ms");
        String away = "127.0.0.2:" + run.serverPort();

        assertThat(run.lines()).hasSize(11);
        assertThat(run.lines().get(3)).isEqualTo("# stopped " + away);
        assertThat(run.lines().get(7)).isEqualTo("# restarted " + away);
        List<String> exchanges = exchanges(run);
        assertThat(exchanges).as("every exchange succeeded").hasSize(9)
                .allMatch(line -> GROUP_REPLY.matcher(line).matches());
        assertThat(remotes(exchanges)).allMatch(remote -> remote.endsWith(":" + run.serverPort()));
        assertThat(remotes(run.lines().subList(4, 7))).as("while it was away").doesNotContain(away);
    }

    @Test
    void exampleThreeSpreadsTheExchangesOverTheGroup(CapturedOutput output) throws Exception {
        Run run = SampleApplicationTests.runToCompletion(output, "--gtcp.sample.example=3", "--gtcp.sample.port=0",
                "--gtcp.sample.count=30", "--gtcp.sample.interval=10ms");

        assertThat(run.lines()).hasSize(32).contains("# stopped 127.0.0.2:" + run.serverPort(),
                "# restarted 127.0.0.2:" + run.serverPort());
        assertThat(exchanges(run)).hasSize(30).allMatch(line -> GROUP_REPLY.matcher(line).matches());
        assertThat(remotes(exchanges(run)).stream().distinct()).as("servers that answered").hasSizeGreaterThan(1);
    }

    @Test
    void exampleThreeInTheServerRoleListensOnThreeAddresses(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext context = SampleApplicationTests.start("--gtcp.sample.role=server",
                "--gtcp.sample.port=0", "--gtcp.sample.example=3")) {
            int port = context.getBean(SampleServer.class).port();
            for (String host : SampleProperties.GROUP_HOSTS) {
                try (Conn conn = Conn.connect(host + ":" + port)) {
                    assertThat(conn.sendRecv("hello".getBytes(), -1)).asString().isEqualTo("> hello");
                    assertThat(conn.remoteAddress().getAddress().getHostAddress()).isEqualTo(host);
                }
            }
            assertThat(output.getOut().lines()).containsExactly("example 3 listening on 127.0.0.1:" + port,
                    "example 3 listening on 127.0.0.2:" + port, "example 3 listening on 127.0.0.3:" + port);
        }
    }

    @Test
    void exampleThreeInTheClientRoleNeedsThePort() {
        assertThatThrownBy(() -> SampleApplicationTests.start("--gtcp.sample.role=client",
                "--gtcp.sample.example=3", "--gtcp.sample.port=0"))
                .hasStackTraceContaining("needs the servers' port: set gtcp.sample.port");
    }

    private static List<String> exchanges(Run run) {
        return run.lines().stream().filter(line -> !line.startsWith("# ")).toList();
    }

    private static List<String> remotes(List<String> lines) {
        return lines.stream().map(GROUP_REPLY::matcher).filter(Matcher::matches).map(matcher -> matcher.group(1))
                .toList();
    }
}
