package io.gtcp.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * TLS I/O: the JDK's {@link SSLSocket}, kept on the JDK's own TLS stack rather than a hand-driven
 * {@code SSLEngine} over a non-blocking channel (much more code for what TLS, far costlier per exchange than a
 * few system calls, would gain).
 *
 * <p>A dialled link layers TLS over a plain {@link Socket}, whose timed reads cost what they cost under any
 * socket with {@code SO_TIMEOUT} (the socket turns non-blocking once; a read that finds nothing waits in
 * {@code poll}). A link accepted by {@link io.gtcp.TcpServer} comes from a {@code ServerSocketChannel}, so it
 * layers over the channel's socket adaptor, whose timed reads switch the socket's mode around each read (four
 * {@code fcntl}); a server's handler rarely reads with a deadline.
 *
 * <p>A socket write cannot be timed, so a write with a deadline (and the close_notify of {@link #close()}) is
 * watched by the {@link Watchdog}, which aborts the link when the deadline passes. The handshake is bounded as a
 * whole the same way, by the watchdog alone, even if the peer drips it a byte at a time: its reads get no
 * {@code SO_TIMEOUT}, because the first timed read makes a plain socket non-blocking for good, and each later
 * read without a deadline would then cost a failed read, a {@code poll} and the read (measured with
 * {@code strace -c}: one {@code read} and one {@code poll} more per exchange). The stale check has no non-blocking read to use either: it is a read with
 * a 1 ms timeout, a timeout meaning healthy.
 */
final class TlsTransport extends Transport {

    /** Wait of the stale check, which has no non-blocking read to use. */
    private static final int PROBE_MILLIS = 1;
    /** The longest a close may spend sending close_notify before the link is aborted instead. */
    private static final long GOODBYE_NANOS = 1_000_000_000L;
    private static final VarHandle CLOSING;

    static {
        try {
            CLOSING = MethodHandles.lookup().findVarHandle(TlsTransport.class, "closing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The TCP socket under TLS: a plain socket when dialled ({@link Dialer}), a channel's adaptor when accepted. */
    private final Socket raw;
    private final SSLSocket ssl;
    private final InputStream in;
    /** The TCP stream under TLS: its available() sees records the SSL layer has not read yet. */
    private final InputStream rawIn;
    private final OutputStream out;
    private final Watchdog.Ticket ticket = new Watchdog.Ticket(this::abort);
    private int soTimeout;
    /** Set while a write runs; read by {@link #close()} from other threads. */
    private volatile boolean writing;
    /** Set once by the first {@link #close()}. */
    @SuppressWarnings("unused") // through CLOSING
    private volatile boolean closing;

    private TlsTransport(Socket raw, SSLSocket ssl) throws IOException {
        super((InetSocketAddress) raw.getLocalSocketAddress(), (InetSocketAddress) raw.getRemoteSocketAddress());
        this.raw = raw;
        this.ssl = ssl;
        this.in = ssl.getInputStream();
        this.rawIn = raw.getInputStream();
        this.out = ssl.getOutputStream();
        this.soTimeout = ssl.getSoTimeout();
    }

    /**
     * Layers TLS over a connected socket and completes the handshake by {@code deadline}, with host name
     * verification of {@code host}; {@code address} names the peer in a timeout.
     */
    static TlsTransport handshake(Socket raw, SSLContext context, String host, int port, long deadline,
            String address) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        ssl.setUseClientMode(true);
        TlsTransport transport = new TlsTransport(raw, ssl);
        if (deadline == Deadlines.NONE) {
            ssl.startHandshake();
            return transport;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw handshakeTimeout(address, null);
        }
        // no SO_TIMEOUT: a timed read would turn the socket non-blocking for the rest of its life (NioSocketImpl
        // never switches back), and every later untimed read would cost a read, a poll and a read again
        Watchdog.INSTANCE.arm(transport.ticket, deadline);
        IOException failure = null;
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            failure = e;
        } catch (Throwable e) { // no watch may outlive the handshake, whatever ended it
            Watchdog.INSTANCE.disarm(transport.ticket);
            transport.abort();
            throw e;
        }
        boolean fired = Watchdog.INSTANCE.disarm(transport.ticket);
        if (fired || failure instanceof SocketTimeoutException) {
            transport.abort();
            throw handshakeTimeout(address, failure);
        }
        if (failure != null) {
            transport.abort();
            throw failure;
        }
        return transport;
    }

    /** Layers TLS over an accepted channel; the handshake happens on first I/O. */
    static TlsTransport accepted(SocketChannel channel, SSLContext context) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
        Socket adaptor = channel.socket();
        SSLSocket ssl = (SSLSocket) context.getSocketFactory()
                .createSocket(adaptor, peer.getHostString(), peer.getPort(), true);
        ssl.setUseClientMode(false);
        return new TlsTransport(adaptor, ssl);
    }

    private static SocketTimeoutException handshakeTimeout(String address, IOException cause) {
        return Link.withCause(new SocketTimeoutException("connect to " + address
                + " timed out: the TLS handshake did not finish within the connect timeout"), cause);
    }

    // ------------------------------------------------------------------ read and write

    @Override
    int read(byte[] dst, int off, int len, long deadline) throws IOException {
        int millis;
        if (deadline == Deadlines.NONE) {
            millis = 0;
        } else {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException("read timed out");
            }
            millis = Deadlines.toMillis(remaining);
        }
        if (millis != soTimeout) {
            ssl.setSoTimeout(millis);
            soTimeout = millis;
        }
        return in.read(dst, off, len);
    }

    @Override
    void write(byte[] data, long deadline) throws IOException {
        writing = true;
        try {
            if (closed) { // checked after raising the flag: a concurrent close() sees one or the other
                throw new SocketException("connection closed");
            }
            if (deadline == Deadlines.NONE) {
                out.write(data);
                return;
            }
            if (deadline - System.nanoTime() <= 0) {
                throw new SocketTimeoutException("write timed out");
            }
            Watchdog.INSTANCE.arm(ticket, deadline);
            IOException failure = null;
            try {
                out.write(data);
            } catch (IOException e) {
                failure = e;
            }
            boolean fired = Watchdog.INSTANCE.disarm(ticket);
            if (closed) {
                Watchdog.INSTANCE.retire(ticket); // close() may have retired the ticket before it was armed
            }
            if (fired) {
                throw Link.withCause(new SocketTimeoutException("write timed out: the peer did not read"), failure);
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            writing = false;
        }
    }

    // ------------------------------------------------------------------ health and close

    @Override
    boolean hasUnreadBytes() throws IOException {
        if (in.available() > 0) {
            return true;
        }
        // a whole record can wait in the socket unseen by the SSL layer; it may also be a post-handshake
        // message (a TLS 1.3 session ticket), so let the SSL layer read it to tell
        return rawIn.available() > 0 && probe();
    }

    @Override
    boolean socketHasBytes() throws IOException {
        // not the SSL layer's available(): it waits for the lock a blocked reader holds
        return rawIn.available() > 0;
    }

    @Override
    boolean isStale() throws IOException {
        return probe();
    }

    private boolean probe() throws IOException {
        if (in.available() > 0) {
            return true;
        }
        int previous = soTimeout;
        ssl.setSoTimeout(PROBE_MILLIS);
        try {
            in.read(buf, 0, 1);
            return true; // a byte or the end of stream: either way not a clean idle connection
        } catch (SocketTimeoutException quiet) {
            return false;
        } finally {
            if (!closed) {
                ssl.setSoTimeout(previous);
            }
        }
    }

    /**
     * Says close_notify, then closes. close_notify is a blocking write: behind another thread's write to a peer
     * that does not read (the SSL engine's record lock is held), or into a full send buffer, it would block for
     * ever. So it is skipped while a write is in progress (closing the socket is what releases that writer),
     * and otherwise the watchdog aborts the link if the goodbye takes longer than a second.
     */
    @Override
    void close() {
        if (closed || !CLOSING.compareAndSet(this, false, true)) {
            return;
        }
        closed = true;
        if (!writing) {
            Watchdog.INSTANCE.arm(ticket, Deadlines.after(System.nanoTime(), GOODBYE_NANOS));
            try {
                ssl.close();
            } catch (IOException | RuntimeException ignored) {
                // the socket is closed below in any case
            } finally {
                Watchdog.INSTANCE.disarm(ticket);
            }
        }
        abort();
    }

    @Override
    void abort() {
        closed = true;
        closeQuietly(raw);
        Watchdog.INSTANCE.retire(ticket);
    }

    @Override
    boolean isTcpNoDelay() throws IOException {
        return raw.getTcpNoDelay();
    }
}
