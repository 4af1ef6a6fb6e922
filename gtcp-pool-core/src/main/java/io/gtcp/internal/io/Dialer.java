package io.gtcp.internal.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;

/**
 * Opens a link by a deadline that covers the whole dial: name resolution ({@link Resolver}), the TCP connect,
 * and with TLS the handshake ({@link TlsTransport#handshake}). A connect timeout is a budget, not a limit per
 * step: a relay that drips the handshake a byte at a time cannot stretch it. Another thread may end it early
 * through its {@link DialAbort}. Every failure (an {@code Error} included) closes what was opened, and a timeout
 * is a {@link SocketTimeoutException} that names the address and the step. Every client link starts here
 * ({@link Link#accepted} wraps a server's).
 */
public final class Dialer {

    private Dialer() {
    }

    /**
     * Dials {@code address}; with a TLS context, also completes the handshake with host name verification on.
     * The connect timeout bounds the whole dial: name resolution, TCP connect and handshake together.
     */
    public static Link connect(String address, long connectTimeoutNanos, SSLContext tls) throws IOException {
        return connectBy(address, Deadlines.after(System.nanoTime(), connectTimeoutNanos), tls);
    }

    /** Dials {@code address} by {@code deadline} (a {@link System#nanoTime()} value, or {@link Deadlines#NONE}). */
    public static Link connectBy(String address, long deadline, SSLContext tls) throws IOException {
        return connectBy(address, Resolver.resolve(address, deadline), deadline, tls, DialAbort.NEVER);
    }

    /**
     * Dials {@code target} by {@code deadline}: the TCP connect and the TLS handshake together must finish by
     * then, or the dial fails with a {@link SocketTimeoutException}; {@code abort} may end it sooner. For a caller
     * with its own deadline, such as a reconnect bounded by both the connect timeout and the call's deadline.
     */
    public static Link connectBy(String address, InetSocketAddress target, long deadline, SSLContext tls,
                                 DialAbort abort) throws IOException {
        if (tls != null) {
            return dialTls(address, target, deadline, tls, abort);
        }
        SocketChannel channel = SocketChannel.open();
        try {
            abort.opened(channel);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            int millis = connectMillis(address, deadline);
            try {
                channel.socket().connect(target, millis);
            } catch (SocketTimeoutException e) {
                throw connectTimeout(address, millis, e);
            }
            return new Link(new TcpTransport(channel));
        } catch (Throwable e) { // an Error too: the descriptor must not outlive a failed dial
            Transport.closeQuietly(channel);
            if (abort.isAborted() && e instanceof IOException io) {
                throw aborted(io);
            }
            throw e;
        }
    }

    /**
     * TLS (see {@link TlsTransport}): the TCP connect, then the handshake, by the deadline. The TCP socket is a
     * plain {@link Socket}, whose timed reads do not switch the socket's mode around each read as a channel's
     * adaptor does (two {@code fcntl} per timed read). Its connect and reads ignore interrupts, so what must end a
     * dial early (a factory closing, a connection closed from another thread) does it through {@code abort}, which
     * closes the socket.
     */
    private static Link dialTls(String address, InetSocketAddress target, long deadline, SSLContext tls,
                                DialAbort abort) throws IOException {
        Socket raw = new Socket();
        try {
            abort.opened(raw);
            raw.setTcpNoDelay(true);
            int millis = connectMillis(address, deadline);
            try {
                raw.connect(target, millis);
            } catch (SocketTimeoutException e) {
                throw connectTimeout(address, millis, e);
            }
            return new Link(TlsTransport.handshake(raw, tls, Addresses.host(address), target.getPort(), deadline,
                    address));
        } catch (Throwable e) { // an Error too: the descriptor must not outlive a failed dial
            Transport.closeQuietly(raw);
            if (abort.isAborted() && e instanceof IOException io) {
                throw aborted(io);
            }
            throw e;
        }
    }

    /** A dial ended by its {@link DialAbort}: whatever the socket threw, an {@link AsynchronousCloseException}. */
    private static IOException aborted(IOException e) {
        if (e instanceof AsynchronousCloseException) {
            return e;
        }
        AsynchronousCloseException aborted = new AsynchronousCloseException();
        aborted.initCause(e);
        return aborted;
    }

    /** The connect timeout of the socket API: what is left of the deadline, 0 for none. */
    private static int connectMillis(String address, long deadline) throws SocketTimeoutException {
        if (deadline == Deadlines.NONE) {
            return 0;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("connect to " + address + " timed out before the TCP connect");
        }
        return Deadlines.toMillis(remaining);
    }

    private static SocketTimeoutException connectTimeout(String address, int millis, SocketTimeoutException e) {
        return Link.withCause(new SocketTimeoutException("connect to " + address + " timed out after " + millis
                + " ms"), e);
    }
}
