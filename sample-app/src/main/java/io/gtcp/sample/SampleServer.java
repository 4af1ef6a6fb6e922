package io.gtcp.sample;

import io.gtcp.Conn;
import io.gtcp.ConnHandler;
import io.gtcp.TcpServer;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.context.SmartLifecycle;

/**
 * The seed's server, a {@link TcpServer} on 127.0.0.1 whose life Spring runs: it listens when the context
 * starts, before the {@link SampleClient} starts, and closes, with its live connections, after the client stops.
 *
 * <p>Example 1 echoes {@code "> " + data} for every message of a connection until the client closes it, so a
 * pooled connection serves exchange after exchange. Example 2 replies once and closes the connection, which is
 * what makes a pooled connection stale.
 */
public final class SampleServer implements SmartLifecycle {

    /** Before the client ({@link SampleClient#PHASE}): listening before the first exchange, closed after the last. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private static final byte[] PROMPT = {'>', ' '};

    private final int example;
    private final int port;
    private final boolean announce;
    private volatile TcpServer server;

    SampleServer(SampleProperties properties) {
        this.example = properties.getExample();
        this.port = properties.getPort();
        // alone, the server prints nothing else, and its clients elsewhere need the port
        this.announce = !properties.getRole().runsClient();
    }

    @Override
    public void start() {
        ConnHandler handler = example == 1 ? SampleServer::echoEveryMessage : SampleServer::replyOnceThenClose;
        TcpServer started = new TcpServer("127.0.0.1:" + port, handler);
        try {
            server = started.start();
            if (announce) {
                System.out.println("example " + example + " listening on 127.0.0.1:" + started.port());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the sample server cannot start: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        TcpServer running = server;
        if (running != null) {
            running.close();
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The port listened on; -1 when not running. */
    public int port() {
        TcpServer running = server;
        return running == null ? -1 : running.port();
    }

    /** Example 1: an echo server; the loop ends when the client closes the connection. */
    static void echoEveryMessage(Conn conn) throws IOException {
        try {
            while (true) {
                conn.send(reply(conn.recv(-1)));
            }
        } catch (EOFException closedByClient) {
            // gtcp's loop ends on the read error too; TcpServer closes the connection
        }
    }

    /** Example 2: one reply, then TcpServer closes the connection as the handler returns. */
    static void replyOnceThenClose(Conn conn) throws IOException {
        try {
            conn.send(reply(conn.recv(-1)));
        } catch (EOFException closedByClient) {
            // nothing to reply to
        }
    }

    private static byte[] reply(byte[] data) {
        byte[] reply = new byte[PROMPT.length + data.length];
        System.arraycopy(PROMPT, 0, reply, 0, PROMPT.length);
        System.arraycopy(data, 0, reply, PROMPT.length, data.length);
        return reply;
    }
}
