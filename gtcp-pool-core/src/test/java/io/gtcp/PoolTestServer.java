package io.gtcp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback package-protocol server for the pool tests: answers {@code "> " + payload}, either for every frame
 * of a connection (gtcp's documented example 1) or once before closing it (example 2). Counts what it accepted and
 * reports every connection it saw end, so tests can wait for server-side effects instead of sleeping.
 */
final class PoolTestServer implements AutoCloseable {

    private final TcpServer server;
    private final AtomicInteger accepted = new AtomicInteger();
    /** The remote port of each connection the server saw end (peer closed or server closed it). */
    final BlockingQueue<Integer> ended = new LinkedBlockingQueue<>();

    private PoolTestServer(boolean replyOnce, int port) throws IOException {
        server = new TcpServer("127.0.0.1:" + port, conn -> serve(conn, replyOnce)).start();
    }

    static PoolTestServer echo() throws IOException {
        return new PoolTestServer(false, 0);
    }

    static PoolTestServer echoOn(int port) throws IOException {
        return new PoolTestServer(false, port);
    }

    static PoolTestServer replyOnceThenClose() throws IOException {
        return new PoolTestServer(true, 0);
    }

    private void serve(Conn conn, boolean replyOnce) throws IOException {
        accepted.incrementAndGet();
        int peerPort = conn.remoteAddress().getPort();
        try {
            do {
                byte[] request = conn.recvPkg();
                conn.sendPkg(reply(request));
            } while (!replyOnce);
        } catch (EOFException end) {
            // the client went away
        } finally {
            conn.close();
            ended.add(peerPort);
        }
    }

    static byte[] reply(byte[] request) {
        byte[] reply = new byte[request.length + 2];
        reply[0] = '>';
        reply[1] = ' ';
        System.arraycopy(request, 0, reply, 2, request.length);
        return reply;
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    String address() {
        return "127.0.0.1:" + server.port();
    }

    int port() {
        return server.port();
    }

    int accepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
