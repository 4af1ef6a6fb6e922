package io.gtcp.internal.io;

import java.io.Closeable;
import java.nio.channels.AsynchronousCloseException;

/**
 * A way for another thread to end a dial in progress: {@link #abort()} closes the socket the dial has opened (a
 * blocked TCP connect or TLS handshake then fails at once with an {@link AsynchronousCloseException}), and a dial
 * that opens its socket after the abort fails as it opens it. What a reconnect-on-send needs when its connection
 * is closed from another thread: the contract says the owner's operation then ends, which it could not while the
 * owner waited for a dial to a host that drops packets (up to the whole connect timeout).
 *
 * <p>A name resolution under way is not interrupted (it runs on a resolver thread, bounded by the dial's deadline);
 * the dial fails when it then opens its socket.
 */
public final class DialAbort {

    /** Dials that nobody aborts. */
    public static final DialAbort NEVER = new DialAbort();

    private volatile Closeable socket;
    private volatile boolean aborted;

    /** Ends the dial: closes its socket if it has one, and makes it fail as it opens one. */
    public void abort() {
        if (this == NEVER) {
            return;
        }
        aborted = true;
        Closeable s = socket;
        if (s != null) {
            Transport.closeQuietly(s);
        }
    }

    /** Whether {@link #abort()} was called. */
    public boolean isAborted() {
        return aborted;
    }

    /** The dial opened {@code s}: closed at once if the dial was aborted already (then this throws). */
    void opened(Closeable s) throws AsynchronousCloseException {
        if (this == NEVER) {
            return;
        }
        socket = s; // published before the check below, so that an abort either sees it or is seen
        if (aborted) {
            Transport.closeQuietly(s);
            throw new AsynchronousCloseException();
        }
    }
}
