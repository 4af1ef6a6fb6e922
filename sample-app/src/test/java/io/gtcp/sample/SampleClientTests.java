package io.gtcp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.PoolConnFactory;
import io.gtcp.TcpServer;

import java.util.List;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's exchange on its own, against a server that closes each connection after one reply and a pool that
 * hands out the closed connection (no stale check): example 3 tries a failed exchange once more with a fresh
 * {@code get()}, examples 1 and 2 print the failure, as gtcp does.
 */
@Timeout(60)
class SampleClientTests {

    @Test
    void exampleThreeTriesAFailedExchangeOnceMoreOnAFreshConnection() throws Exception {
        List<String> lines = twoExchanges(3);

        assertThat(lines).allMatch(line -> SampleApplicationTests.REPLY.matcher(line).matches());
        assertThat(localPorts(lines)).as("the second exchange on a new connection").doesNotHaveDuplicates();
    }

    @Test
    void examplesOneAndTwoPrintTheFailedExchange() throws Exception {
        List<String> lines = twoExchanges(2);

        assertThat(lines.get(0)).matches(SampleApplicationTests.REPLY);
        // EOF, or a reset if the second message reached the server before it closed: a failure either way
        assertThat(lines.get(1)).isNotBlank().doesNotStartWith(">");
    }

    /** Two exchanges of a client playing {@code example}, the second on the connection the server closed. */
    private static List<String> twoExchanges(int example) throws Exception {
        SampleProperties properties = new SampleProperties();
        properties.setExample(example);
        try (TcpServer server = new TcpServer("127.0.0.1:0", SampleServer::replyOnceThenClose).start();
             PoolConnFactory pool = PoolConnFactory.builder().address("127.0.0.1:" + server.port())
                     .validateOnBorrow(false).build()) {
            SampleClient client = new SampleClient(pool, properties, SampleOutage.NONE, null);
            return List.of(client.exchange(), client.exchange());
        }
    }

    private static List<Integer> localPorts(List<String> lines) {
        return lines.stream().map(SampleApplicationTests.REPLY::matcher).filter(Matcher::matches)
                .map(matcher -> Integer.parseInt(matcher.group(1))).toList();
    }
}
