package io.gtcp.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;

/**
 * The benchmarks' loopback server: it speaks the package protocol with a 2-byte header and answers every frame
 * with {@code "> " + payload}, in one write. Plain blocking Java, one pooled thread per connection, so that the
 * server costs every contender the same and none of the pool's own code sits on the far side of the wire.
 *
 * <p>{@linkplain #startOutside The outside set-up's server} (issue 19.2) differs in the way a user's hand-written
 * one does: a new thread per connection, and {@code DataInputStream}/{@code DataOutputStream} over buffered
 * streams (the header and the message read separately from the buffer, the reply written through the buffer
 * and flushed once). The system calls per exchange are the same (one {@code read} when the frame is whole, one
 * {@code write}); {@code --outside} runs the harness against it.
 *
 * <p>{@linkplain #startTls With TLS} ({@code --tls}) either server listens on an {@code SSLServerSocket} that
 * accepts TLS 1.3 only ({@link BenchTls}); each connection's thread completes the handshake before its first
 * read and records the protocol and cipher suite it negotiated ({@link #negotiated()}).
 */
public final class EchoServer implements Closeable {

    static final byte[] PREFIX = {'>', ' '};

    private final ServerSocket listener;
    private final ExecutorService workers;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    /** What the TLS connections negotiated, e.g. {@code "TLSv1.3 TLS_AES_256_GCM_SHA384"}. */
    private final Set<String> negotiated = ConcurrentHashMap.newKeySet();
    private final boolean outside;
    private volatile boolean closed;

    private EchoServer(ServerSocket listener, boolean outside) {
        this.listener = listener;
        this.outside = outside;
        AtomicInteger ids = new AtomicInteger();
        // a cached pool: connect-per-call makes thousands of short connections, a thread each would dominate
        this.workers = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "echo-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Listens on 127.0.0.1 and an ephemeral port; accepting when it returns. */
    public static EchoServer start() throws IOException {
        return start(InetAddress.getLoopbackAddress());
    }

    /** Listens on {@code host} (a loopback address: 127.0.0.2 and .3 serve the group benchmarks). */
    public static EchoServer start(InetAddress host) throws IOException {
        return start(host, false);
    }

    /** The outside set-up's server on {@code host}: a new thread per connection, data streams over buffers. */
    public static EchoServer startOutside(InetAddress host) throws IOException {
        return start(host, true);
    }

    /**
     * The server of {@link #start(InetAddress)} or, if {@code outside}, of {@link #startOutside}, speaking TLS 1.3
     * with the benchmark's key ({@link BenchTls}).
     */
    public static EchoServer startTls(InetAddress host, boolean outside) throws IOException {
        return start(host, outside, true);
    }

    private static EchoServer start(InetAddress host, boolean outside) throws IOException {
        return start(host, outside, false);
    }

    private static EchoServer start(InetAddress host, boolean outside, boolean tls) throws IOException {
        ServerSocket listener = tls ? BenchTls.serverSocket() : new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(host, 0), 4096);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        EchoServer server = new EchoServer(listener, outside);
        Thread acceptor = new Thread(server::acceptLoop, "echo-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code "127.0.0.1:port"} (the address it listens on). */
    public String address() {
        return listener.getInetAddress().getHostAddress() + ":" + port();
    }

    /** The address it listens on. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(listener.getInetAddress(), port());
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue; // e.g. a client that reset before accept: keep serving the others
            }
            live.add(socket);
            if (outside) {
                Thread t = new Thread(() -> serveOutside(socket), "echo-outside-" + socket.getPort());
                t.setDaemon(true);
                t.start();
            } else {
                workers.execute(() -> serve(socket));
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            handshake(socket);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1024));
            OutputStream out = socket.getOutputStream();
            byte[] reply = new byte[2 + PREFIX.length + 65535];
            reply[2] = PREFIX[0];
            reply[3] = PREFIX[1];
            for (;;) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException end) {
                    return;
                }
                int replyLength = Math.min(65535, PREFIX.length + length);
                in.readFully(reply, 2 + PREFIX.length, length);
                reply[0] = (byte) (replyLength >>> 8);
                reply[1] = (byte) replyLength;
                out.write(reply, 0, 2 + replyLength);
            }
        } catch (SocketException | EOFException gone) {
            // the client closed or reset: normal for every contender at the end of a round
        } catch (IOException e) {
            if (!closed) {
                System.err.println("echo server: " + e);
            }
        } finally {
            live.remove(socket);
        }
    }

    /** The outside set-up's loop: {@code DataInputStream}/{@code DataOutputStream} over buffered streams. */
    private void serveOutside(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            handshake(socket);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            byte[] message = new byte[65535];
            for (;;) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException end) {
                    return;
                }
                in.readFully(message, 0, length);
                int replyLength = Math.min(65535, PREFIX.length + length);
                out.writeShort(replyLength);
                out.write(PREFIX);
                out.write(message, 0, replyLength - PREFIX.length);
                out.flush();
            }
        } catch (SocketException | EOFException gone) {
            // the client closed or reset
        } catch (IOException e) {
            if (!closed) {
                System.err.println("echo server: " + e);
            }
        } finally {
            live.remove(socket);
        }
    }

    /** With TLS, completes the handshake on the connection's own thread and records what it negotiated. */
    private void handshake(Socket socket) throws IOException {
        if (socket instanceof SSLSocket ssl) {
            ssl.startHandshake();
            negotiated.add(BenchTls.describe(ssl.getSession()));
        }
    }

    /**
     * The protocol and cipher suite of every TLS handshake this server completed, each once (e.g.
     * {@code "TLSv1.3 TLS_AES_256_GCM_SHA384"}); empty without TLS.
     */
    public Set<String> negotiated() {
        return Set.copyOf(negotiated);
    }

    /** Connections open right now on the server side. */
    public int connectionCount() {
        return live.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : live) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
