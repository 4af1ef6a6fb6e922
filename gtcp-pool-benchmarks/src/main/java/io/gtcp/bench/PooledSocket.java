package io.gtcp.bench;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The object a do-it-yourself pool holds (commons-pool2, HikariCP's {@code ConcurrentBag} in the contended
 * benchmark): a connected socket (plain, or an {@code SSLSocket} with {@code --tls}) with the streams made for it
 * once, and the protocol written by hand with {@code DataInputStream}, as users write it. One class, so that every
 * hand-made pool dials, speaks and checks a socket the same way and differs only in its borrowing.
 */
public final class PooledSocket implements Closeable {

    /** {@code SO_TIMEOUT} in the harness's {@code --timeouts} mode, the same 5 s as the pools' read timeout. */
    public static final int TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private PooledSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 512));
        this.out = socket.getOutputStream();
    }

    /** Dials {@code address} with TCP_NODELAY and, if {@code timeouts}, {@code SO_TIMEOUT} 5 s. */
    public static PooledSocket open(InetSocketAddress address, boolean timeouts) throws IOException {
        return open(address, timeouts, false);
    }

    /**
     * As {@link #open(InetSocketAddress, boolean)}; with {@code tls} over TLS ({@link BenchTls#dial}), settled by
     * one exchange ({@link BenchTls#settle}) so that no part of the handshake is left for a measured round.
     */
    public static PooledSocket open(InetSocketAddress address, boolean timeouts, boolean tls) throws IOException {
        Socket socket = tls ? BenchTls.dial(address, timeouts) : dial(address, timeouts);
        try {
            PooledSocket pooled = new PooledSocket(socket);
            if (tls) {
                BenchTls.settle(pooled::exchange);
            }
            return pooled;
        } catch (IOException | RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }

    /** How a contender speaks the protocol over a socket it owns. */
    interface Speaker {
        Contender.Worker over(Socket socket) throws IOException;
    }

    /**
     * A worker that owns a socket to {@code address}: plain from {@link #dial}, or with {@code tls} from
     * {@link BenchTls#dial} and settled by one exchange; the socket is closed again if any of it fails.
     */
    static Contender.Worker worker(InetSocketAddress address, boolean timeouts, boolean tls, Speaker speaker)
            throws IOException {
        Socket socket = tls ? BenchTls.dial(address, timeouts) : dial(address, timeouts);
        try {
            Contender.Worker worker = speaker.over(socket);
            if (tls) {
                BenchTls.settle(worker);
            }
            return worker;
        } catch (IOException | RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }

    /**
     * A plain socket connected to {@code address} the way every socket contender's is: TCP_NODELAY and, if
     * {@code timeouts}, {@code SO_TIMEOUT} 5 s (closed again if the dial fails).
     */
    static Socket dial(InetSocketAddress address, boolean timeouts) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            if (timeouts) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
            }
            socket.connect(address, 10_000);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code payload} as one package and returns the reply's payload. */
    public byte[] exchange(byte[] payload) throws IOException {
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) (payload.length >>> 8);
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        out.write(frame);
        byte[] reply = new byte[in.readUnsignedShort()];
        in.readFully(reply);
        return reply;
    }

    /**
     * The check on borrow users write with {@code java.net.Socket}: open, connected, both directions up, and
     * nothing unread ({@code available() == 0}: bytes left over from an earlier exchange would be read as the
     * next reply). {@code available()} is one system call ({@code ioctl(FIONREAD)}), the same price as gtcp's
     * check of unread bytes at return. A {@code Socket} offers no non-blocking peek, so a peer's close is not
     * seen here; gtcp's stale check (a non-blocking read, after 500 ms idle) does see it.
     */
    public boolean isUsable() {
        try {
            return socket.isConnected() && !socket.isClosed() && !socket.isInputShutdown()
                    && !socket.isOutputShutdown() && in.available() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
