package io.gtcp.chaos;

import io.gtcp.Conn;
import io.gtcp.TcpServer;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;

/**
 * The server behind the chaos proxy: a {@link TcpServer} that answers each package-protocol frame with
 * {@code "> " + payload}, as in gtcp's documented example 1, and that can be restarted on the same port.
 *
 * <p>Under chaos its connections die in every way there is, so its handler treats an I/O error as the end of
 * that connection, quietly: the faults are the test's business, not the log's.
 */
public final class EchoServer implements AutoCloseable {

    private final SSLContext tls;
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final int port;
    private volatile TcpServer server;

    private EchoServer(SSLContext tls) throws IOException {
        this.tls = tls;
        this.server = listen(0);
        this.port = server.port();
    }

    /** A plain TCP echo server on a free loopback port. */
    public static EchoServer plain() throws IOException {
        return new EchoServer(null);
    }

    /** A TLS echo server on a free loopback port. */
    public static EchoServer tls(SSLContext context) throws IOException {
        return new EchoServer(context);
    }

    /** What the server answers to {@code request}. */
    public static byte[] reply(byte[] request) {
        byte[] reply = new byte[request.length + 2];
        reply[0] = '>';
        reply[1] = ' ';
        System.arraycopy(request, 0, reply, 2, request.length);
        return reply;
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Connections being served right now. */
    public int connectionCount() {
        return server.connectionCount();
    }

    /** Closes the server (and so every connection it serves) and listens again on the same port. */
    public void restart() throws IOException {
        lifecycle.lock();
        try {
            server.close();
            server = listen(port);
        } finally {
            lifecycle.unlock();
        }
    }

    @Override
    public void close() {
        lifecycle.lock();
        try {
            server.close();
        } finally {
            lifecycle.unlock();
        }
    }

    private TcpServer listen(int onPort) throws IOException {
        return new TcpServer("127.0.0.1:" + onPort, this::echo, tls).start();
    }

    private void echo(Conn conn) {
        try {
            for (;;) {
                conn.sendPkg(reply(conn.recvPkg()));
            }
        } catch (IOException goneOrBroken) {
            // the connection ends here; TcpServer closes it
        }
    }
}
