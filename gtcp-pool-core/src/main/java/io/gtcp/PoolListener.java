package io.gtcp;

import java.io.IOException;

/**
 * Observes a {@link PoolConnFactory}: the SPI behind metrics and health (the Spring Boot starter binds it to
 * Micrometer), so that the core depends on no metrics library.
 *
 * <p>Callbacks run on the thread that caused the event, some of them on the borrow/return path: keep them
 * short and non-blocking, and do not throw (an exception is logged and ignored). Every method has an empty
 * default, so an implementation overrides only what it needs. Durations are in nanoseconds.
 */
public interface PoolListener {

    /** The pool of a new address came into being (first {@code get} for it). */
    default void poolAdded(String address) {
    }

    /** The pool of an address went away: the factory closed, or it sat empty past the idle TTL. */
    default void poolRemoved(String address) {
    }

    /** A borrower got a connection after waiting {@code nanos} (dialling included). */
    default void connectionAcquired(String address, long nanos) {
    }

    /** A borrower gave a connection back (or closed it) after holding it {@code nanos}. */
    default void connectionReleased(String address, long nanos) {
    }

    /** A new connection was dialled in {@code nanos}. */
    default void connectionCreated(String address, long nanos) {
    }

    /** Dialling a new connection failed. */
    default void connectionFailed(String address, IOException cause) {
    }

    /** A borrower gave up after the acquire timeout. */
    default void acquireTimedOut(String address) {
    }

    /**
     * A connection has been borrowed for longer than the leak detection threshold without being closed;
     * {@code borrowedAt}'s stack trace shows where it was borrowed.
     */
    default void connectionLeaked(String address, long heldNanos, Throwable borrowedAt) {
    }

    /** A connection was physically closed. */
    default void connectionClosed(String address, CloseReason reason) {
    }

    /** Outlier ejection took an endpoint of the group out of rotation for {@code ejectedFor}. */
    default void endpointEjected(String address, java.time.Duration ejectedFor) {
    }

    /** An ejected endpoint came back into rotation. */
    default void endpointRestored(String address) {
    }
}
