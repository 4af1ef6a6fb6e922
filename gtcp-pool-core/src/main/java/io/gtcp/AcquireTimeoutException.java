package io.gtcp;

import java.net.SocketTimeoutException;

/**
 * No connection of a pool became free within the acquire timeout. The message gives the pool's state when the
 * caller gave up: the address, how many connections were borrowed (active) and idle, how many other callers were
 * waiting (pending) and the maximum size, which is usually enough to tell an undersized pool from a leak. With
 * the factory's leak detection on, the stack where the connection held longest was borrowed is attached as a
 * suppressed exception: that is where to look for code that does not give connections back.
 */
public class AcquireTimeoutException extends SocketTimeoutException {

    private static final long serialVersionUID = 1L;

    private final String pool;
    private final String address;
    private final int maxSize;
    private final int waiting;
    private final int active;
    private final int idle;

    /** A timeout whose pool was full: {@code maxSize} connections active, none idle. */
    public AcquireTimeoutException(String address, int maxSize, int waiting, long waitedMillis) {
        this(address, maxSize, waiting, waitedMillis, maxSize, 0);
    }

    /** A timeout with the pool's state: {@code active} borrowed, {@code idle} idle, {@code waiting} others waiting. */
    public AcquireTimeoutException(String address, int maxSize, int waiting, long waitedMillis, int active,
                                   int idle) {
        this(null, address, maxSize, waiting, waitedMillis, active, idle);
    }

    /**
     * A timeout of the factory named {@code pool} (null: unnamed), its message starting {@code pool 'orders': } as
     * every failure of a factory's endpoint does.
     */
    public AcquireTimeoutException(String pool, String address, int maxSize, int waiting, long waitedMillis,
                                   int active, int idle) {
        super((pool != null ? "pool '" + pool + "': " : "") + "timed out after " + waitedMillis
                + " ms waiting for a connection to " + address + ": active " + active + ", idle " + idle
                + ", pending " + waiting + " (other callers waiting), max " + maxSize);
        this.pool = pool;
        this.address = address;
        this.maxSize = maxSize;
        this.waiting = waiting;
        this.active = active;
        this.idle = idle;
    }

    /** The name of the factory whose pool was exhausted; null when none was given. */
    public String pool() {
        return pool;
    }

    /** The address whose pool was exhausted. */
    public String address() {
        return address;
    }

    /** The pool's maximum size. */
    public int maxSize() {
        return maxSize;
    }

    /** How many other callers were waiting when this one gave up (not counting itself). */
    public int waiting() {
        return waiting;
    }

    /** How many connections were borrowed when this caller gave up. */
    public int active() {
        return active;
    }

    /** How many connections were idle when this caller gave up (ones between owners count as idle). */
    public int idle() {
        return idle;
    }
}
