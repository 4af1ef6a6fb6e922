package io.gtcp.fleet;

import static io.gtcp.fleet.ScriptedFleet.Answer.CLOSE_WITHOUT_REPLY;
import static io.gtcp.fleet.ScriptedFleet.Answer.ECHO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.EndpointStatus;
import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.RetryBudget;
import io.gtcp.TcpServer;
import io.gtcp.testing.Closer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where an idempotent re-send goes, and what a pool does with its other connections once one of them broke: the
 * cases of a hard kill under load in which a call used to fail after all its attempts (issue 18), each set up
 * one at a time.
 */
@Timeout(60)
class ResendRoutingTest {

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The re-send's pick refuses its dial: the failover that follows tries the endpoints that did not fail the
     * call before the one that did (which used to come first, in list order, and failed the request again).
     */
    @Test
    void aResendsFailoverTriesTheEndpointThatFailedTheCallLast() throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO, CLOSE_WITHOUT_REPLY, ECHO));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder()
                .addresses(ScriptedFleet.refusing(3), fleet.address(1), fleet.address(2))
                .loadBalancing(LoadBalancing.FAILOVER).idempotent(true)
                .outlierEjection(OutlierEjection.disabled()).retryBudget(RetryBudget.unlimited()).build());

        // first: refused, then the closing server; the re-send: refused again, then (not the closing server) echo
        byte[] reply = pool.sendRecvPkg(ascii("x"));

        assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("> x");
        assertThat(fleet.taken(1)).as("sends to the endpoint that failed the call").isEqualTo(1);
        assertThat(fleet.taken(2)).isEqualTo(1);
    }

    /**
     * Every usable endpoint has failed the call: the last re-send goes to an ejected endpoint (whose server is
     * back), a better bet than one of the two servers that have just failed this request.
     */
    @Test
    void aResendThatEveryUsableEndpointFailedTriesAnEjectedOne() throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO, CLOSE_WITHOUT_REPLY, CLOSE_WITHOUT_REPLY));
        String ejected = ScriptedFleet.refusing(3);
        PoolConnFactory pool = closer.using(PoolConnFactory.builder()
                .addresses(ejected, fleet.address(1), fleet.address(2))
                .loadBalancing(LoadBalancing.FAILOVER).idempotent(true)
                .outlierEjection(new OutlierEjection(1, Duration.ofMinutes(5), 50))
                .retryBudget(RetryBudget.unlimited()).build());
        try (PoolConn c = pool.get()) { // refused by the first: ejected; failed over to the second
            assertThat(c.remoteAddress().getPort()).isEqualTo(port(fleet.address(1)));
        }
        assertThat(status(pool, ejected).ejected()).isTrue();
        TcpServer back = closer.using(TcpServer.ofPkg(ejected, request -> concat("> ", request)).start());

        byte[] reply = pool.sendRecvPkg(ascii("y"));

        assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("> y");
        assertThat(fleet.taken(1) + fleet.taken(2)).as("sends to the two endpoints that failed it").isEqualTo(2);
        assertThat(back.acceptedCount()).isPositive();
    }

    /**
     * A server restarted on its address leaves the pool's idle connections to its old self closed, each used a
     * moment ago (so no borrow-time check looks at it). The first call to meet one fails; after that the pool
     * checks every connection that was idle at that moment, so no other call fails on one.
     */
    @Test
    void aBrokenConnectionMakesTheOtherIdleOnesCheckedAtTheirNextBorrow() throws Exception {
        TcpServer server = TcpServer.ofPkg("127.0.0.1:0", request -> concat("> ", request)).start();
        String address = "127.0.0.1:" + server.port();
        TcpServer[] current = {server};
        closer.using((AutoCloseable) () -> current[0].close());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(address).maxSize(4)
                .checkIdleAfter(Duration.ofMillis(500)).build());
        List<PoolConn> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(pool.get());
        }
        for (PoolConn c : four) {
            c.sendRecvPkg(ascii("warm"));
            c.close();
        }
        server.close(); // a hard kill: each connection closed by the server
        current[0] = TcpServer.ofPkg(address, request -> concat("> ", request)).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 0);

        int failed = 0;
        for (int i = 0; i < 4; i++) {
            try {
                assertThat(new String(pool.sendRecvPkg(ascii("z" + i)), StandardCharsets.UTF_8)).isEqualTo("> z" + i);
            } catch (IOException e) {
                failed++;
            }
        }

        assertThat(failed).as("calls that met a closed idle connection").isLessThanOrEqualTo(1);
        assertThat(pool.stats().idle()).isPositive();
    }

    private static byte[] concat(String prefix, byte[] request) {
        byte[] reply = new byte[prefix.length() + request.length];
        System.arraycopy(ascii(prefix), 0, reply, 0, prefix.length());
        System.arraycopy(request, 0, reply, prefix.length(), request.length);
        return reply;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static EndpointStatus status(PoolConnFactory pool, String address) {
        return pool.endpoints().stream().filter(s -> s.address().equals(address)).findFirst().orElseThrow();
    }
}
