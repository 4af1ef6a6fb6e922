package io.gtcp.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A relay on loopback that forwards the client's bytes to a server at full speed and the server's bytes back
 * one at a time with a pause between them: a slow network path that keeps every single read of the client
 * short while the whole of what the server says (a TLS handshake, a reply) takes long. Written with plain
 * sockets, not with the code under test.
 */
public final class DripRelay implements Closeable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final long pauseMillis;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private DripRelay(int upstreamPort, Duration pause) throws IOException {
        this.upstreamPort = upstreamPort;
        this.pauseMillis = pause.toMillis();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::acceptLoop, "drip-relay-" + listener.getLocalPort());
    }

    /** A relay to {@code 127.0.0.1:upstreamPort} that pauses {@code pause} after each byte of the server. */
    public static DripRelay start(int upstreamPort, Duration pause) throws IOException {
        return new DripRelay(upstreamPort, pause);
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                daemon(() -> pump(client, server, 0), "drip-relay-up");
                daemon(() -> pump(server, client, pauseMillis), "drip-relay-down");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static void pump(Socket from, Socket to, long pauseMillis) {
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] chunk = new byte[pauseMillis > 0 ? 1 : 8192];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                out.write(chunk, 0, n);
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis); // paces the drip: the point of this relay
                }
            }
        } catch (IOException | InterruptedException e) {
            // one side ended: closing both (try-with-resources) ends the other pump
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
