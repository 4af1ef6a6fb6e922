package io.gtcp.internal.server;

import io.gtcp.internal.io.Link;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hand-over between a handler and a graceful shutdown, step by step on one real loopback connection: who wins
 * decides whether a message is served (with its reply) or never processed, never "processed, reply lost".
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MessageGateTest {

    private ServerSocketChannel listener;
    private SocketChannel client;
    private Link served;
    private final LiveConnections live = new LiveConnections();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Closeable conn = () -> closed.set(true);

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        served = Link.accepted(listener.accept(), null);
    }

    @AfterEach
    void close() throws IOException {
        served.close();
        client.close();
        listener.close();
    }

    @Test
    void aShutdownThatClaimsAWaitingConnectionFirstKeepsItsNextMessageFromBeingProcessed() {
        MessageGate gate = live.gate(served);
        live.add(conn, gate);
        assertThat(gate.refusesNextMessage()).isFalse(); // not draining: the handler waits for a message

        live.drain();
        assertThat(closed).isTrue(); // nothing had arrived: claimed and closed

        assertThat(gate.received()).as("a message read after the claim is not processed").isFalse();
    }

    @Test
    void aMessageTakenBeforeTheShutdownLooksIsServedAndItsConnectionKept() {
        MessageGate gate = live.gate(served);
        live.add(conn, gate);
        assertThat(gate.refusesNextMessage()).isFalse();
        assertThat(gate.received()).isTrue(); // the handler is now busy with it

        live.drain();
        assertThat(closed).as("a busy connection closes only after its reply").isFalse();

        gate.sending();
        assertThat(gate.refusesNextMessage()).as("after the reply, the next message is refused").isTrue();
    }

    @Test
    void bytesOfANextMessageThatArrivedKeepTheConnectionOpen() throws IOException {
        MessageGate gate = live.gate(served);
        live.add(conn, gate);
        assertThat(gate.refusesNextMessage()).isFalse();
        client.write(ByteBuffer.wrap(new byte[] {0, 1}));
        await().until(served::hasArrivedBytes);

        live.drain();
        assertThat(closed).isFalse();
        assertThat(gate.received()).isTrue();
    }

    @Test
    void aReadInsideAMessageIsNeverABoundary() {
        MessageGate gate = live.gate(served);
        live.add(conn, gate);
        assertThat(gate.refusesNextMessage()).isFalse();
        assertThat(gate.received()).isTrue(); // the header
        live.drain();
        assertThat(gate.refusesNextMessage()).as("the body's read follows a read, not a reply").isFalse();
        assertThat(gate.received()).isTrue();
        assertThat(closed).isFalse();
    }
}
