package io.gtcp.internal.server;

import io.gtcp.internal.io.Link;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Where one served connection stands between two messages, so that a graceful shutdown closes it without
 * cutting a request in half.
 *
 * <p>A server's handler alternates receives and sends. A receive that follows a send (or is the connection's
 * first) waits for the start of a next message; one that follows a receive reads on inside the same message (a
 * header, then its body). Only at the start of a message is the connection free to close: before any byte of the
 * request has arrived, the client has lost nothing and, with a pool, simply dials again.
 *
 * <p>Two threads meet here without a lock. The handler's thread marks itself {@code waiting}, then reads the
 * server's draining flag; the shutting-down thread sets that flag, then reads {@code waiting}. Both are volatile,
 * so at least one of them sees the other: either the handler refuses to start the next message itself, or the
 * shutdown finds it waiting and closes it. A request whose bytes have already arrived is never refused; it is
 * served, and the connection closes at its next start of a message. The last step is a compare-and-set on
 * both sides: a message whose bytes arrive between the shutdown's look and its close is never processed, so a
 * client that sends it again elsewhere ({@code idempotent}) does not make two servers act on it.
 */
public final class MessageGate {

    private static final int BUSY = 0;
    private static final int WAITING = 1;
    private static final int CLOSED = 2;
    private static final AtomicIntegerFieldUpdater<MessageGate> STATE =
            AtomicIntegerFieldUpdater.newUpdater(MessageGate.class, "state");

    private final LiveConnections server;
    private final Link link;
    /**
     * BUSY, WAITING (the handler waits for the start of a next message) or CLOSED (the shutdown claimed the
     * connection while it waited). Leaving WAITING is a compare-and-set on both sides, so a message that arrives
     * just as the shutdown closes the connection is either served with its reply or not processed at all.
     */
    private volatile int state = BUSY;
    /** The handler's thread only: the last operation was a send, so the next receive starts a message. */
    private boolean replied = true;
    /** The link's byte count when the handler began to wait: more since means the next message has begun. */
    private long receivedBefore;

    MessageGate(LiveConnections server, Link link) {
        this.server = server;
        this.link = link;
    }

    /**
     * Before a receive, on the handler's thread: true when the server is draining and this receive would wait for
     * a new message of which nothing has arrived, so the connection is to end now instead.
     */
    public boolean refusesNextMessage() {
        if (!replied) {
            return false;
        }
        receivedBefore = link.received();
        state = WAITING;
        if (server.draining() && !link.hasArrivedBytes()) {
            state = CLOSED;
            return true;
        }
        return false;
    }

    /**
     * After a receive returned, on the handler's thread: true when the connection is now busy with the message;
     * false when the shutdown claimed it first, in which case the message must not be processed (its client sees
     * the connection close without a reply, the same as if the message had come a moment later).
     */
    public boolean received() {
        replied = false;
        return state == BUSY || STATE.compareAndSet(this, WAITING, BUSY);
    }

    /** Before a send, on the handler's thread: the next receive starts a new message. */
    public void sending() {
        replied = true;
    }

    /**
     * From the shutting-down thread: claims the connection for closing when its handler waits for a next message
     * of which no byte has arrived (none read since it began to wait, none in the buffer or the socket).
     */
    boolean claimForClose() {
        return state == WAITING && link.received() == receivedBefore && !link.hasArrivedBytes()
                && STATE.compareAndSet(this, WAITING, CLOSED);
    }
}
