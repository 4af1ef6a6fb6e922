package io.gtcp.internal.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;

/**
 * Opens a link by a deadline that covers the whole dial: name resolution ({@link Resolver}), the TCP connect,
 * and with TLS the handshake ({@link TlsTransport#handshake}). A connect timeout is a budget, not a limit per
 * step: a relay that drips the handshake a byte at a time cannot stretch it. Every failure closes what was
 * opened, and a timeout is a {@link SocketTimeoutException} that names the address and the step.
 */
final class Dialer {

    private Dialer() {
    }

    static Link dial(String address, InetSocketAddress target, long deadline, SSLContext tls) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            connect(channel, address, target, deadline);
            if (tls == null) {
                return new Link(new TcpTransport(channel));
            }
            return new Link(TlsTransport.handshake(channel, tls, Addresses.host(address), target.getPort(),
                    deadline, address));
        } catch (IOException | RuntimeException e) {
            Transport.closeQuietly(channel);
            throw e;
        }
    }

    private static void connect(SocketChannel channel, String address, InetSocketAddress target, long deadline)
            throws IOException {
        int millis = 0;
        if (deadline != Deadlines.NONE) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException("connect to " + address + " timed out before the TCP connect");
            }
            millis = Link.toMillis(remaining);
        }
        try {
            channel.socket().connect(target, millis);
        } catch (SocketTimeoutException e) {
            throw Link.withCause(new SocketTimeoutException("connect to " + address + " timed out after "
                    + millis + " ms"), e);
        }
    }
}
