package io.gtcp.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import static org.awaitility.Awaitility.await;

/**
 * A peer written with plain {@link java.net.ServerSocket}, not with the code under test: it plays a scripted
 * part (send these exact bytes, read slowly, close) so that the tests see the wire as Go's gtcp would, and it
 * can capture exactly what the client wrote. Every accepted connection runs the script on a thread of its own;
 * a script that fails (other than by a socket error, which the client caused and the test checks on its side)
 * is remembered and reported by {@link #close()}, so that a broken peer cannot make a test pass silently.
 */
public final class RawPeer implements Closeable {

    /** What the peer does with one accepted socket. */
    @FunctionalInterface
    public interface Script {
        void run(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final Script script;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final ReentrantLock captureLock = new ReentrantLock();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private volatile boolean closed;

    private RawPeer(Script script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "raw-peer-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A peer that runs {@code script} for every connection. */
    public static RawPeer start(Script script) throws IOException {
        return new RawPeer(script);
    }

    /** A peer that only records what it receives, until the client closes. */
    public static RawPeer capturing() throws IOException {
        RawPeer[] self = new RawPeer[1];
        self[0] = new RawPeer(socket -> self[0].captureUntilEof(socket.getInputStream()));
        return self[0];
    }

    /** {@code "127.0.0.1:port"}. */
    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Reads everything until end of stream into the capture (for scripts that record). */
    public void captureUntilEof(InputStream in) throws IOException {
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            captureLock.lock();
            try {
                captured.write(chunk, 0, n);
            } finally {
                captureLock.unlock();
            }
        }
    }

    /** The bytes captured so far. */
    public byte[] captured() {
        captureLock.lock();
        try {
            return captured.toByteArray();
        } finally {
            captureLock.unlock();
        }
    }

    /** Waits (at most 5 s) until at least {@code count} bytes were captured; returns all captured bytes. */
    public byte[] awaitCaptured(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> captured().length >= count);
        return captured();
    }

    /** Waits (at most 5 s) until {@code count} connections were accepted. */
    public void awaitConnections(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> sockets.size() >= count);
    }

    /** Reads and discards everything until end of stream: a peer that listens but never answers. */
    public static void discardUntilEof(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[64 * 1024];
        while (in.read(chunk) >= 0) {
            // discarded
        }
    }

    /** Reads exactly {@code n} bytes from a script's input; end of stream first fails the script. */
    public static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] data = in.readNBytes(n);
        if (data.length != n) {
            throw new IOException("peer: end of stream after " + data.length + " of " + n + " bytes");
        }
        return data;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(socket);
            Thread worker = new Thread(() -> runScript(socket), "raw-peer-conn-" + server.getLocalPort());
            worker.setDaemon(true);
            worker.start();
        }
    }

    private void runScript(Socket socket) {
        try (socket) {
            script.run(socket);
        } catch (SocketException e) {
            // a reset or broken pipe is the client's doing, and the test asserts on the client's side
        } catch (Throwable e) {
            failures.add(e);
        }
    }

    /** Closes the listener and every accepted socket; fails if a script failed. */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("the raw peer's script failed: " + failures.get(0));
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }
}
