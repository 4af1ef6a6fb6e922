package io.gtcp.internal.io;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The system calls of one connection, each bounded by a deadline: what {@link Link} builds its buffered reads on.
 * Two kinds exist because the JDK offers two very different tools: a plain TCP connection is a
 * {@link java.nio.channels.SocketChannel} that can be non-blocking ({@link TcpTransport}); a TLS connection is an
 * {@link javax.net.ssl.SSLSocket} layered over a blocking socket ({@link TlsTransport}).
 *
 * <p>A transport is used by one thread at a time; {@link #close()} and {@link #abort()} may come from any thread
 * and end a call in progress.
 */
abstract class Transport {

    /** The link's read buffer: the transport owns the array so that it can keep a view of it. */
    final byte[] buf = new byte[Link.BUFFER_SIZE];
    final InetSocketAddress local;
    final InetSocketAddress remote;
    volatile boolean closed;

    Transport(InetSocketAddress local, InetSocketAddress remote) {
        this.local = local;
        this.remote = remote;
    }

    /**
     * One read of up to {@code len} bytes (at least one), waiting until {@code deadline}; -1 at end of stream.
     * {@code dst} may be the link's own buffer, which a transport may keep a view of.
     */
    abstract int read(byte[] dst, int off, int len, long deadline) throws IOException;

    /** Writes all of {@code data} by {@code deadline}; a write still blocked then aborts the connection. */
    abstract void write(byte[] data, long deadline) throws IOException;

    /** Whether bytes nobody has read wait in the socket (or, for TLS, in the SSL layer). */
    abstract boolean hasUnreadBytes() throws IOException;

    /**
     * Whether bytes have arrived in the socket that no read has taken yet, asked from another thread while the
     * owner may be blocked reading: a bare {@code FIONREAD}, never a read and never a lock the reader holds.
     */
    abstract boolean socketHasBytes() throws IOException;

    /**
     * Whether the peer has closed or reset the connection or sent bytes: the check of an idle connection. May
     * use the buffer: the link is idle and empty when it is checked.
     */
    abstract boolean isStale() throws IOException;

    /** Closes politely (a TLS close_notify first), never blocking for long. */
    abstract void close();

    /** Closes at once. */
    abstract void abort();

    abstract boolean isTcpNoDelay() throws IOException;

    static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing useful to do
        }
    }
}
