package io.gtcp.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.Conn;
import io.gtcp.ConnHandler;
import io.gtcp.TcpServer;

import java.io.EOFException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the sample as {@code java -jar} would (same arguments, same application.properties) and reads its console:
 * the line format of gtcp's documentation, and which local port each exchange used. Example 3 has tests of its
 * own, {@link SampleGroupExampleTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class SampleApplicationTests {

    /** The line of gtcp's documentation: {@code > 2018-07-11 23:29:54 127.0.0.1:55876 127.0.0.1:8999}. */
    static final Pattern REPLY = Pattern.compile(
            "> \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} 127\\.0\\.0\\.1:(\\d{1,5}) 127\\.0\\.0\\.1:(\\d{1,5})");

    private static final Duration COMPLETION_WAIT = Duration.ofSeconds(30);

    @Test
    void exampleOneReusesOneConnectionThroughout(CapturedOutput output) throws Exception {
        Run run = runToCompletion(output, "--gtcp.sample.example=1", "--gtcp.sample.port=0",
                "--gtcp.sample.count=4", "--gtcp.sample.interval=100ms");

        assertThat(run.lines()).hasSize(4).allMatch(line -> REPLY.matcher(line).matches());
        assertThat(run.localPorts()).hasSize(4).containsOnly(run.localPorts().get(0));
        assertThat(run.remotePorts()).containsOnly(run.serverPort());
    }

    @Test
    void exampleTwoWithTheStaleCheckDialsANewConnectionEveryTimeWithoutAnEof(CapturedOutput output)
            throws Exception {
        // 600 ms: the pooled connection has been idle long enough (500 ms) to be checked before it is lent
        Run run = runToCompletion(output, "--gtcp.sample.example=2", "--gtcp.sample.port=0",
                "--gtcp.sample.count=3", "--gtcp.sample.interval=600ms");

        assertThat(run.lines()).hasSize(3).allMatch(line -> REPLY.matcher(line).matches()).doesNotContain("EOF");
        assertThat(run.localPorts()).doesNotHaveDuplicates().hasSize(3);
        assertThat(run.remotePorts()).containsOnly(run.serverPort());
    }

    @Test
    void exampleTwoWithoutTheStaleCheckAlternatesReplyAndEofLikeGtcp(CapturedOutput output) throws Exception {
        Run run = runToCompletion(output, "--gtcp.sample.example=2", "--gtcp.sample.port=0",
                "--gtcp.sample.count=4", "--gtcp.sample.interval=600ms", "--gtcp.pool.validate-on-borrow=false");

        assertThat(run.lines()).hasSize(4);
        assertThat(run.lines().get(0)).matches(REPLY);
        assertThat(run.lines().get(1)).isEqualTo("EOF");
        assertThat(run.lines().get(2)).matches(REPLY);
        assertThat(run.lines().get(3)).isEqualTo("EOF");
        assertThat(run.localPorts()).doesNotHaveDuplicates().hasSize(2);
    }

    @Test
    void clientRoleTalksToTheConfiguredAddress(CapturedOutput output) throws Exception {
        try (TcpServer server = new TcpServer("127.0.0.1:0", SampleServer::echoEveryMessage).start()) {
            Run run = runToCompletion(output, "--gtcp.sample.role=client", "--gtcp.sample.count=2",
                    "--gtcp.sample.interval=50ms", "--gtcp.pool.address=127.0.0.1:" + server.port());

            assertThat(run.serverPort()).as("no sample server in the client role").isEqualTo(-1);
            assertThat(run.lines()).hasSize(2).allMatch(line -> REPLY.matcher(line).matches());
            assertThat(run.remotePorts()).containsOnly(server.port());
        }
    }

    @Test
    void serverRoleServesOtherProcessesAndRunsNoClient(CapturedOutput output) throws Exception {
        int port;
        try (ConfigurableApplicationContext context = start("--gtcp.sample.role=server", "--gtcp.sample.port=0",
                "--gtcp.sample.example=1")) {
            assertThat(context.getBean(SampleClient.class).isRunning()).as("no client in the server role").isFalse();
            port = context.getBean(SampleServer.class).port();
            try (Conn conn = Conn.connect("127.0.0.1:" + port)) {
                assertThat(conn.sendRecv("hello".getBytes(), -1)).asString().isEqualTo("> hello");
                assertThat(conn.sendRecv("again".getBytes(), -1)).asString().isEqualTo("> again");
            }
        }
        assertThat(output.getOut().lines()).containsExactly("example 1 listening on 127.0.0.1:" + port);
    }

    @Test
    void anUnreachableServerPrintsTheErrorAloneOnALine(CapturedOutput output) throws Exception {
        int closedPort;
        try (TcpServer server = new TcpServer("127.0.0.1:0", SampleServer::echoEveryMessage).start()) {
            closedPort = server.port();
        }
        Run run = runToCompletion(output, "--gtcp.sample.role=client", "--gtcp.sample.count=1",
                "--gtcp.pool.address=127.0.0.1:" + closedPort, "--gtcp.pool.connect-timeout=5s");

        assertThat(run.lines()).singleElement().asString().isNotBlank().doesNotStartWith(">");
    }

    @Test
    void closingTheContextStopsAClientWaitingForASilentServer(CapturedOutput output) throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        ConnHandler silent = conn -> {
            conn.recv(-1);
            received.countDown();
            try {
                conn.recv(-1); // never replies
            } catch (EOFException clientClosed) {
                // the interrupted client closed its connection
            }
        };
        try (TcpServer server = new TcpServer("127.0.0.1:0", silent).start()) {
            SampleClient client;
            try (ConfigurableApplicationContext context = start("--gtcp.sample.role=client",
                    "--gtcp.pool.address=127.0.0.1:" + server.port())) {
                client = context.getBean(SampleClient.class);
                assertThat(received.await(30, TimeUnit.SECONDS)).as("the client sent its first message").isTrue();
            }
            assertThat(client.isRunning()).isFalse();
            assertThat(client.awaitCompletion(Duration.ZERO)).isTrue();
        }
        assertThat(output.getOut()).as("an exchange cut short by the shutdown prints nothing").isEmpty();
    }

    @Test
    void aPortInUseFailsWithAReportThatSaysWhatToDo(CapturedOutput output) throws Exception {
        try (TcpServer busy = new TcpServer("127.0.0.1:0", SampleServer::echoEveryMessage).start()) {
            assertThatThrownBy(() -> start("--gtcp.sample.port=" + busy.port()))
                    .hasStackTraceContaining("cannot listen on 127.0.0.1:" + busy.port());

            assertThat(output.getOut()).contains("APPLICATION FAILED TO START",
                    "The sample server cannot listen on 127.0.0.1:" + busy.port(), "--gtcp.sample.port=0")
                    .doesNotContain("\tat io.gtcp.sample.SampleServer");
        }
    }

    @Test
    void anExampleOtherThanOneToFiveIsRejectedAtStartup() {
        assertThatThrownBy(() -> start("--gtcp.sample.example=6", "--gtcp.sample.port=0"))
                .hasStackTraceContaining("example must be 1, 2, 3, 4 or 5, not 6");
    }

    @Test
    void exampleFiveIsAServiceOfTheStartersServerCalledWithThePoolsExchange(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext context = start("--gtcp.sample.example=5", "--gtcp.sample.port=0",
                "--gtcp.sample.count=3", "--gtcp.sample.interval=100ms")) {
            assertThat(context.getBean(SampleClient.class).awaitCompletion(COMPLETION_WAIT)).isTrue();
            int port = context.getEnvironment().getProperty("gtcp.sample.port", Integer.class);
            assertThat(context.getBean(TcpServer.class).port()).as("the starter's server").isEqualTo(port);
            assertThat(context.getBean(SampleServer.class).port()).as("the sample's own server").isEqualTo(-1);
        }
        assertThat(output.getErr()).isEmpty();
        assertThat(output.getOut().lines().toList()).hasSize(3)
                .allMatch(line -> line.matches("> \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"));
    }

    static ConfigurableApplicationContext start(String... args) {
        return new SpringApplication(SampleApplication.class).run(args);
    }

    /** Starts the sample, waits for its client's last exchange, closes it and reads what it printed. */
    static Run runToCompletion(CapturedOutput output, String... args) throws InterruptedException {
        int serverPort;
        try (ConfigurableApplicationContext context = start(args)) {
            SampleClient client = context.getBean(SampleClient.class);
            assertThat(client.awaitCompletion(COMPLETION_WAIT)).as("the client finished its count").isTrue();
            serverPort = context.getBean(SampleServer.class).port();
        }
        assertThat(output.getErr()).as("nothing but the exchanges on the console").isEmpty();
        return new Run(output.getOut().lines().toList(), serverPort);
    }

    record Run(List<String> lines, int serverPort) {

        List<Integer> localPorts() {
            return ports(1);
        }

        List<Integer> remotePorts() {
            return ports(2);
        }

        private List<Integer> ports(int group) {
            return lines.stream().map(REPLY::matcher).filter(Matcher::matches)
                    .map(matcher -> Integer.parseInt(matcher.group(group))).toList();
        }
    }
}
