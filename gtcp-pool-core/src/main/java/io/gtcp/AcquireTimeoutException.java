package io.gtcp;

import java.net.SocketTimeoutException;

/**
 * No connection of a pool became free within the acquire timeout. The message names the address, the pool's
 * maximum size and how many callers were waiting, which is usually enough to tell an undersized pool from a
 * leak (see the factory's leak detection).
 */
public class AcquireTimeoutException extends SocketTimeoutException {

    private static final long serialVersionUID = 1L;

    private final String address;
    private final int maxSize;
    private final int waiting;

    public AcquireTimeoutException(String address, int maxSize, int waiting, long waitedMillis) {
        super("timed out after " + waitedMillis + " ms waiting for a connection to " + address
                + ": all " + maxSize + " connections (max size) are in use, " + waiting + " callers waiting");
        this.address = address;
        this.maxSize = maxSize;
        this.waiting = waiting;
    }

    /** The address whose pool was exhausted. */
    public String address() {
        return address;
    }

    /** The pool's maximum size. */
    public int maxSize() {
        return maxSize;
    }

    /** How many callers were waiting when this one gave up (itself included). */
    public int waiting() {
        return waiting;
    }
}
