package io.gtcp;

import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.io.Link;
import io.gtcp.internal.pool.PoolEntry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * A connection borrowed from a pool: a {@link Conn} whose {@link #close()} gives it back.
 *
 * <p>As in gtcp, every operation records whether it succeeded. {@code close()} returns a connection whose last
 * operation succeeded (or that saw no operation) to its pool, and physically closes one whose operation failed
 * (any {@link IOException}: its state on the wire is unknown) or that holds bytes nobody read. A caller error
 * ({@link IllegalArgumentException}) writes nothing and leaves the connection healthy.
 *
 * <p>Reconnect-on-send: when the first write on a connection just taken from the idle set fails, the pool
 * dials a fresh connection in its place and writes once more; at most once per operation, and only before
 * anything else was done with it.
 *
 * <p>Each borrow gets its own {@code PoolConn}, so a second {@code close()} is a no-op and any use after
 * {@code close()} throws an {@link IOException}, even once the connection serves someone else.
 */
public class PoolConn extends Conn {

    private final AddressPool pool;
    private final long connectTimeoutNanos;
    private PoolEntry entry;
    private final int generation;
    private boolean broken;
    private boolean used;

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

    /** gtcp's {@code NewPoolConn}: a connection from the process-wide default pool of {@code address}. */
    public static PoolConn newPoolConn(String address) throws IOException {
        return PoolConnFactory.defaultFactory().get(address);
    }

    /** Like {@link #newPoolConn(String)}, dialling (if it must) with the given connect timeout. */
    public static PoolConn newPoolConn(String address, Duration connectTimeout) throws IOException {
        return PoolConnFactory.defaultFactory().get(address, connectTimeout);
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
        return entry == null;
    }

    /** Returns the connection to its pool, or closes it if it is broken. A second call does nothing. */
    @Override
    public void close() {
        PoolEntry e = entry;
        if (e != null) {
            entry = null;
            pool.release(e, generation, !broken, used);
        }
    }

    @Override
    Link begin() throws IOException {
        if (entry == null) {
            throw new IOException("connection closed: it was returned to its pool");
        }
        return link;
    }

    @Override
    IOException failed(IOException e) {
        broken = true;
        used = true;
        pool.health().recordFailure(e);
        return e;
    }

    @Override
    void succeeded() {
        used = true;
    }

    @Override
    ExchangeObserver.Exchange exchangeStarted() {
        ExchangeObserver observer = pool.config().exchangeObserver(); // NONE unless the builder set one
        return observer == ExchangeObserver.NONE ? ExchangeObserver.Exchange.NONE
                : observer.start(pool.config().name(), pool.address());
    }

    @Override
    void writeFrame(Link l, byte[] data, long deadline, Retry retry) throws IOException {
        PoolEntry e = entry;
        if (used || e == null || !e.fromIdle()) {
            super.writeFrame(l, data, deadline, retry);
            return;
        }
        used = true;
        try {
            super.writeFrame(l, data, deadline, retry);
        } catch (InterruptedIOException timedOutOrInterrupted) { // a timeout is not a dead socket
            throw timedOutOrInterrupted;
        } catch (IOException writeFailed) {
            Link fresh;
            try {
                fresh = pool.redial(e, connectTimeoutNanos);
            } catch (IOException dialFailed) {
                writeFailed.addSuppressed(dialFailed);
                throw writeFailed;
            }
            link = fresh;
            super.writeFrame(fresh, data, deadline, retry);
        }
    }
}
