package io.gtcp;

import io.gtcp.internal.io.Deadlines;
import io.gtcp.internal.io.DialAbort;
import io.gtcp.internal.io.Link;
import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.PoolEntry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;

/**
 * A connection borrowed from a pool: a {@link Conn} whose {@link #close()} gives it back.
 *
 * <p>As in gtcp, every operation records whether it succeeded. {@code close()} returns a connection whose last
 * operation succeeded (or that saw no operation) to its pool, and physically closes one whose operation failed
 * (any {@link IOException}, or any other exception or error that escaped it: its state on the wire is unknown)
 * or that holds bytes nobody read. A caller error ({@link IllegalArgumentException}, thrown before anything is
 * written) leaves the connection healthy.
 *
 * <p>Reconnect-on-send: when the first write on a connection just taken from the idle set fails, the pool
 * dials a fresh connection in its place and writes once more; at most once per operation, and only before
 * anything else was done with it, and only if the factory's {@link RetryBudget} allows one more attempt. The dial
 * is bounded by the connect timeout and by what is left of the call's deadline (for an exchange without a
 * deadline of its own: the builder's write and read timeouts added up); when the deadline passes first, the call
 * ends with a {@link SocketTimeoutException}.
 *
 * <p>Closing from another thread: {@code close()} while an operation runs (the usual Java way to cancel one)
 * aborts the socket, so the operation ends at once with an {@link IOException}, and the connection is closed,
 * never pooled: the owner's thread gives it back as broken when its operation ends. The handle has no state word
 * of its own: its operations and its close act on the entry's ({@link PoolEntry}), so that a warm return is one
 * compare-and-set. An operation begins and ends by a compare-and-set that advances the word's phase, a close from
 * another thread sets the word's closed flag while one runs, and a close with none running gives the entry back
 * from exactly the word it read; whoever's compare-and-set wins decides, so exactly one thread gives the entry
 * back.
 *
 * <p>Each borrow gets its own {@code PoolConn}, so a second {@code close()} is a no-op and any use after
 * {@code close()} throws an {@link IOException}, even once the connection serves someone else: the handle
 * remembers that it closed, and the word names the borrow's generation, which no later borrow shares.
 */
public class PoolConn extends Conn {

    private final AddressPool pool;
    private final long connectTimeoutNanos;
    private final PoolEntry entry;
    /** This borrow's generation: the entry's word names it while the borrow lasts. */
    private final long generation;
    /**
     * {@code close()} was called: the handle never looks at the entry again, whatever its generation has become.
     * Written before the compare-and-set that ends the borrow, so whoever sees that end sees this too.
     */
    private boolean closed;
    private boolean broken;
    private boolean used;
    /** The operation's reconnect dial failed and its address's health counted that: the operation counts no more. */
    private boolean failureCounted;
    /** The reconnect dial under way, if any: a close from another thread ends it. */
    private volatile DialAbort dialing;

    PoolConn(AddressPool pool, PoolEntry entry, long connectTimeoutNanos) {
        super(entry.link());
        this.pool = pool;
        this.entry = entry;
        this.generation = entry.generation();
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.readTimeoutNanos = pool.config().readTimeoutNanos();
        this.writeTimeoutNanos = pool.config().writeTimeoutNanos();
        this.defaultRetry = pool.config().retry();
    }

    /**
     * The borrower's handle of {@code entry}, just borrowed from {@code pool}; if even making it fails (no memory),
     * the untouched connection goes back to the idle set instead of staying borrowed for good.
     */
    static PoolConn handOut(AddressPool pool, PoolEntry entry, long connectTimeoutNanos) {
        try {
            return new PoolConn(pool, entry, connectTimeoutNanos);
        } catch (Throwable e) {
            pool.release(entry, entry.generation(), true, false);
            throw e;
        }
    }

    /** gtcp's {@code NewPoolConn}: a connection from the process-wide default pool of {@code address}. */
    public static PoolConn newPoolConn(String address) throws IOException {
        return PoolConnFactory.defaultFactory().get(address);
    }

    /** Like {@link #newPoolConn(String)}, dialling (if it must) with the given connect timeout. */
    public static PoolConn newPoolConn(String address, Duration connectTimeout) throws IOException {
        return PoolConnFactory.defaultFactory().get(address, connectTimeout);
    }

    /** The pool this connection was borrowed from: a factory exchange that failed avoids it on its next attempt. */
    AddressPool pool() {
        return pool;
    }

    /** The pool address this connection belongs to. */
    public String address() {
        return pool.address();
    }

    /** Whether an operation failed, so that {@link #close()} will close it instead of pooling it. */
    public boolean isBroken() {
        return broken;
    }

    @Override
    public boolean isClosed() {
        return closed || !PoolEntry.isOpen(entry.word(), generation);
    }

    /**
     * Returns the connection to its pool, or closes it if it is broken. A second call does nothing. Called from
     * another thread while an operation runs, it aborts that operation and the connection is closed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (;;) {
            long w = entry.word();
            if (!PoolEntry.isOpen(w, generation)) {
                return; // given back by a racing close, or closed while an operation runs: its thread gives it back
            }
            if (PoolEntry.isRunning(w)) {
                if (entry.closeRunning(w)) {
                    link.abort(); // the operation fails now; its thread gives the entry back
                    DialAbort dial = dialing;
                    if (dial != null) {
                        dial.abort(); // and a reconnect dial under way ends now too, not at its timeout
                    }
                    return;
                }
            } else if (pool.giveBack(entry, w, !broken, used)) {
                return;
            } // else the word changed meanwhile (an operation of another thread began): look again
        }
    }

    /** Closes a connection found stale before any use, instead of pooling it; no failure of its endpoint. */
    void discard() {
        broken = true;
        close();
    }

    @Override
    Link begin() throws IOException {
        long w = entry.word();
        if (closed || !PoolEntry.isOpen(w, generation) || PoolEntry.isRunning(w) || !entry.advance(w)) {
            throw new IOException(closed || !PoolEntry.isOpen(entry.word(), generation)
                    ? "connection closed: it was returned to its pool"
                    : "another operation is running on this connection");
        }
        return link;
    }

    @Override
    IOException failed(IOException e) {
        broken = true;
        used = true;
        boolean counted = failureCounted;
        failureCounted = false;
        if (entry.endOperation(generation)) {
            if (!counted) { // the contract: a failed operation counts one failure, whatever failed within it
                pool.health().recordFailure(e);
            }
            return e;
        }
        giveBackAfterClose();
        return e instanceof ClosedDuringOperation ? e : new ClosedDuringOperation(e);
    }

    @Override
    void succeeded() throws IOException {
        used = true;
        if (!entry.endOperation(generation)) {
            throw new ClosedDuringOperation(null); // failed() gives the entry back
        }
        pool.health().recordSuccess(); // a completed operation resets the failure count now, not at return
    }

    @Override
    void escaped(Throwable e) {
        broken = true;
        used = true;
        if (!entry.endOperation(generation)) {
            giveBackAfterClose();
        }
    }

    /**
     * The owner's side of a close from another thread: the operation is over, the entry goes back broken. (If the
     * word is not this operation's closed word, the operation had ended before something else failed: nobody
     * closed it, and it stays the borrower's, broken, for its {@code close()}.)
     */
    private void giveBackAfterClose() {
        long w = entry.word();
        if (PoolEntry.isClosedWhileRunning(w, generation)) {
            closed = true;
            pool.giveBack(entry, w, false, true);
        }
    }

    @Override
    ExchangeObserver.Exchange exchangeStarted() {
        ExchangeObserver observer = pool.config().exchangeObserver(); // NONE unless the builder set one
        if (observer == ExchangeObserver.NONE) {
            return ExchangeObserver.Exchange.NONE;
        }
        try { // thrown from here it would leave the operation running for good, and its entry lost to the pool
            ExchangeObserver.Exchange exchange = observer.start(pool.config().name(), pool.address());
            return exchange == null ? ExchangeObserver.Exchange.NONE : exchange;
        } catch (Throwable e) {
            observerFailed(e);
            return ExchangeObserver.Exchange.NONE;
        }
    }

    @Override
    void writeFrame(Link l, byte[] data, long deadline, Retry retry) throws IOException {
        if (used || !entry.fromIdle()) {
            super.writeFrame(l, data, deadline, retry);
            return;
        }
        used = true;
        try {
            super.writeFrame(l, data, deadline, retry);
        } catch (InterruptedIOException timedOutOrInterrupted) { // a timeout is not a dead socket
            throw timedOutOrInterrupted;
        } catch (IOException writeFailed) {
            if (!PoolEntry.isRunningIn(entry.word(), generation) || !pool.config().retries().tryAttempt()) {
                throw writeFailed; // closed from another thread, or the retry budget is spent: no reconnect
            }
            link = reconnect(writeFailed, deadline);
            // publishes the new link before a closer reads it, and stops here if one came meanwhile
            if (!entry.stillRunning(generation)) {
                throw writeFailed;
            }
            super.writeFrame(link, data, deadline, retry);
        }
    }

    /**
     * Dials a replacement for a connection whose first write failed, within the connect timeout and what is
     * left of the call's deadline: a deadline that passes first ends the call with a timeout, as any other
     * part of the call would.
     */
    private Link reconnect(IOException writeFailed, long deadline) throws IOException {
        long dialNanos = connectTimeoutNanos;
        boolean deadlineBinds = false;
        if (deadline != Deadlines.NONE) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw deadlinePassed(writeFailed, null);
            }
            deadlineBinds = dialNanos <= 0 || remaining < dialNanos;
            dialNanos = deadlineBinds ? remaining : dialNanos;
        }
        DialAbort abort = new DialAbort();
        dialing = abort;
        if (!PoolEntry.isRunningIn(entry.word(), generation)) { // a close before the dial was published missed it
            abort.abort();
        }
        try {
            return pool.redial(entry, dialNanos, abort);
        } catch (IOException dialFailed) {
            // as the pool's dialler counts: a dial ended by a close (or a factory closing) is no failure
            failureCounted = !(dialFailed instanceof AsynchronousCloseException);
            if (deadline != Deadlines.NONE && (deadline - System.nanoTime() <= 0
                    || deadlineBinds && dialFailed instanceof SocketTimeoutException)) {
                throw deadlinePassed(writeFailed, dialFailed);
            }
            writeFailed.addSuppressed(dialFailed);
            throw writeFailed;
        } finally {
            dialing = null;
        }
    }

    private SocketTimeoutException deadlinePassed(IOException writeFailed, IOException dialFailed) {
        SocketTimeoutException e = new SocketTimeoutException("the call's deadline passed while reconnecting to "
                + pool.address() + " (the first write had failed: " + writeFailed + ")");
        e.initCause(dialFailed != null ? dialFailed : writeFailed);
        if (dialFailed != null) {
            e.addSuppressed(writeFailed);
        }
        return e;
    }

    /** How an operation ends when {@code close()} came from another thread while it ran. */
    private static final class ClosedDuringOperation extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedDuringOperation(IOException cause) {
            super("operation aborted: the connection was closed by another thread", cause);
        }
    }
}
