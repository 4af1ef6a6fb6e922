package io.gtcp.fleet;

import static io.gtcp.fleet.ScriptedFleet.Answer.CLOSE_WITHOUT_REPLY;
import static io.gtcp.fleet.ScriptedFleet.Answer.ECHO;
import static io.gtcp.fleet.ScriptedFleet.Answer.NEVER;
import static io.gtcp.fleet.ScriptedFleet.Answer.ONE_REPLY_BYTE_THEN_CLOSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.RetryBudget;
import io.gtcp.testing.Closer;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The factory's one-call exchanges: borrow, exchange, give back; and with {@code idempotent(true)} a second send
 * exactly when the first failed before any byte of its reply arrived, never otherwise.
 */
@Timeout(60)
class FactoryExchangeTest {

    private static final AtomicInteger ids = new AtomicInteger();
    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    private static byte[] request(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8);
    }

    private static String fresh() {
        return "req-" + ids.incrementAndGet();
    }

    private PoolConnFactory factory(ScriptedFleet fleet, boolean idempotent) {
        return closer.using(PoolConnFactory.builder().addresses(fleet.addresses())
                .loadBalancing(LoadBalancing.FAILOVER).idempotent(idempotent)
                .retryBudget(RetryBudget.unlimited()).connectTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    void anExchangeBorrowsExchangesAndGivesTheConnectionBack() throws IOException {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO));
        PoolConnFactory pool = factory(fleet, false);

        assertThat(pool.sendRecvPkg(request("a"))).asString().isEqualTo("> a");
        assertThat(pool.sendRecvPkgWithTimeout(request("b"), Duration.ofSeconds(5))).asString().isEqualTo("> b");
        byte[] raw = pool.sendRecv(new byte[]{0, 1, 'c'}, 5); // a frame by hand: header 2 + "> c"
        assertThat(raw).containsExactly(0, 3, '>', ' ', 'c');
        assertThat(pool.sendRecvWithTimeout(new byte[]{0, 1, 'd'}, 5, Duration.ofSeconds(5)))
                .containsExactly(0, 3, '>', ' ', 'd');

        assertThat(pool.stats().active()).isZero();
        assertThat(pool.stats().idle()).isEqualTo(1); // one connection served all four
        assertThat(pool.stats().created()).isEqualTo(1);
    }

    @Test
    void eachAttemptIsObservedAsAnExchangeOfAPooledConnection() throws IOException {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(CLOSE_WITHOUT_REPLY, ECHO));
        List<String> observed = new CopyOnWriteArrayList<>();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(fleet.addresses())
                .loadBalancing(LoadBalancing.FAILOVER).idempotent(true).retryBudget(RetryBudget.unlimited())
                .exchangeObserver((name, address) -> failure -> observed.add(address + " "
                        + (failure == null ? "ok" : failure.getClass().getSimpleName())))
                .build());

        assertThat(pool.sendRecvPkg(request("x"))).asString().isEqualTo("> x");

        assertThat(observed).containsExactly(fleet.address(0) + " EOFException", fleet.address(1) + " ok");
    }

    @Test
    void withoutIdempotentARequestIsNeverSentTwice() throws IOException {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(CLOSE_WITHOUT_REPLY, ECHO, ECHO));
        PoolConnFactory pool = factory(fleet, false);
        String payload = fresh();

        assertThatThrownBy(() -> pool.sendRecvPkg(request(payload))).isInstanceOf(EOFException.class)
                .hasMessageStartingWith("pool 'default': " + fleet.address(0) + ": "); // names its server

        assertThat(fleet.processed(payload)).isEqualTo(1);
        assertThat(fleet.taken(1) + fleet.taken(2)).isZero();
    }

    @Test
    void withIdempotentAnExchangeThatFailedBeforeItsReplyIsSentToAnotherEndpoint() throws IOException {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(CLOSE_WITHOUT_REPLY, ECHO, ECHO));
        PoolConnFactory pool = factory(fleet, true);
        String payload = fresh();

        assertThat(pool.sendRecvPkg(request(payload))).asString().isEqualTo("> " + payload);

        assertThat(fleet.taken(0)).isEqualTo(1);
        assertThat(fleet.taken(1)).as("the next endpoint, not the one that failed").isEqualTo(1);
        assertThat(fleet.processed(payload)).as("the risk idempotent takes: the dying server had it too")
                .isEqualTo(2);
    }

    @Test
    void withIdempotentARawExchangeIsSentAgainToo() throws IOException {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(CLOSE_WITHOUT_REPLY, ECHO));
        PoolConnFactory pool = factory(fleet, true);

        assertThat(pool.sendRecv(new byte[]{0, 1, 'r'}, 5)).containsExactly(0, 3, '>', ' ', 'r');
    }

    @Test
    void nothingIsSentAgainOnceAByteOfTheReplyArrived() throws IOException {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ONE_REPLY_BYTE_THEN_CLOSE, ECHO, ECHO));
        PoolConnFactory pool = factory(fleet, true);
        String payload = fresh();

        assertThatThrownBy(() -> pool.sendRecvPkg(request(payload))).isInstanceOf(EOFException.class);

        assertThat(fleet.processed(payload)).isEqualTo(1);
    }

    @Test
    void nothingIsSentAgainAfterATimeout() throws IOException {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(NEVER, ECHO, ECHO));
        PoolConnFactory pool = factory(fleet, true);
        String payload = fresh();

        assertThatThrownBy(() -> pool.sendRecvPkgWithTimeout(request(payload), Duration.ofMillis(300)))
                .isInstanceOf(SocketTimeoutException.class);

        assertThat(fleet.processed(payload)).isEqualTo(1);
    }

    @Test
    void aRequestIsSentAtMostThreeTimesInAll() throws IOException {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(CLOSE_WITHOUT_REPLY, CLOSE_WITHOUT_REPLY,
                CLOSE_WITHOUT_REPLY));
        PoolConnFactory pool = factory(fleet, true);
        String payload = fresh();

        assertThatThrownBy(() -> pool.sendRecvPkg(request(payload))).isInstanceOf(EOFException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).as("the earlier attempts' failures").isNotEmpty());

        assertThat(fleet.processed(payload)).isEqualTo(3);
        assertThat(List.of(fleet.taken(0), fleet.taken(1), fleet.taken(2))).containsExactly(1, 1, 1);
    }

    @Test
    void anEmptyBudgetMakesNoSecondSendEvenWhenIdempotent() throws IOException {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(CLOSE_WITHOUT_REPLY, ECHO));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(fleet.addresses())
                .loadBalancing(LoadBalancing.FAILOVER).idempotent(true).retryBudget(RetryBudget.none()).build());
        String payload = fresh();

        assertThatThrownBy(() -> pool.sendRecvPkg(request(payload))).isInstanceOf(EOFException.class);

        assertThat(fleet.processed(payload)).isEqualTo(1);
        assertThat(pool.retriesRefused()).isEqualTo(1);
        assertThat(pool.retriesAttempted()).isZero();
    }

    @Test
    void aDeadEndpointIsPassedOverByTheFailoverInsideTheCall() throws IOException {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO));
        String dead = ScriptedFleet.refusing(1);
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(dead, fleet.address(0))
                .loadBalancing(LoadBalancing.FAILOVER).idempotent(true).retryBudget(RetryBudget.unlimited())
                .build());

        assertThat(pool.sendRecvPkg(request("d"))).asString().isEqualTo("> d"); // failover inside get()
        assertThat(pool.retriesAttempted()).as("the failover dial is an attempt after the first").isEqualTo(1);
    }

    @Test
    void theFactorysExchangesNeedAGroup() {
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().build());
        assertThatThrownBy(() -> pool.sendRecvPkg(request("x"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no address configured");
    }

    @Test
    void aNonPositiveTimeoutIsACallerError() throws IOException {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO));
        PoolConnFactory pool = factory(fleet, false);
        assertThatThrownBy(() -> pool.sendRecvPkgWithTimeout(request("x"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.sendRecvWithTimeout(request("x"), 1, null))
                .isInstanceOf(IllegalArgumentException.class);
    }


    /**
     * A re-send never lands on the endpoint that just failed it through the "a full endpoint sends the caller
     * elsewhere" path: with the other endpoint full, the call waits for it instead of taking the failing server's
     * connections again (a draining server closes its idle ones, so they would fail the re-send too).
     */
    @Test
    void aResendWaitsForAFullEndpointRatherThanGoBackToTheOneThatFailed() throws Exception {
        ScriptedFleet fleet = closer.using(new ScriptedFleet(ECHO, CLOSE_WITHOUT_REPLY));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().addresses(fleet.addresses())
                .loadBalancing(LoadBalancing.FAILOVER).maxSize(1).idempotent(true)
                .outlierEjection(OutlierEjection.disabled()).retryBudget(RetryBudget.unlimited())
                .acquireTimeout(Duration.ofSeconds(20)).build());
        PoolConn held = pool.get(); // the first endpoint's only place: the call starts on the second
        java.util.concurrent.CompletableFuture<byte[]> call = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return pool.sendRecvPkg("x".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> call.isDone()
                || fleet.taken(1) >= 1 && pool.stats(fleet.address(0)).pending() == 1);
        assertThat(call).as("the re-send waits for the first endpoint").isNotDone();
        held.close();

        assertThat(new String(call.get(20, java.util.concurrent.TimeUnit.SECONDS), StandardCharsets.UTF_8))
                .isEqualTo("> x");
        assertThat(fleet.taken(1)).as("sends to the endpoint that failed").isEqualTo(1);
    }

    /**
     * A re-send goes out on a fresh connection: where the endpoint it lands on holds idle connections its server
     * has closed (used a moment ago, so no borrow-time check would look), they are checked and closed, not sent on.
     */
    @Test
    void aResendNeverGoesOutOnAnIdleConnectionItsServerClosed() throws Exception {
        // the first server answers one request per connection, then closes it; the second takes and closes
        try (io.gtcp.TcpServer once = new io.gtcp.TcpServer("127.0.0.1:0", conn -> {
            byte[] request = conn.recvPkg();
            conn.sendPkg(("> " + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }).start()) {
            ScriptedFleet closing = closer.using(new ScriptedFleet(ECHO, CLOSE_WITHOUT_REPLY));
            PoolConnFactory pool = closer.using(PoolConnFactory.builder()
                    .addresses("127.0.0.1:" + once.port(), closing.address(1))
                    .loadBalancing(LoadBalancing.FAILOVER).idempotent(true).validateOnBorrow(false)
                    .outlierEjection(OutlierEjection.disabled()).retryBudget(RetryBudget.unlimited()).build());
            try (PoolConn a = pool.get(); PoolConn b = pool.get()) { // two connections, each served once
                a.sendRecvPkg("a".getBytes(StandardCharsets.UTF_8));
                b.sendRecvPkg("b".getBytes(StandardCharsets.UTF_8));
            }
            org.awaitility.Awaitility.await().until(() -> once.connectionCount() == 0); // both closed by the server

            // first send: a closed idle connection; second: the closing server; third: back on the first endpoint
            byte[] reply = pool.sendRecvPkg("x".getBytes(StandardCharsets.UTF_8));

            assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("> x");
        }
    }
}
