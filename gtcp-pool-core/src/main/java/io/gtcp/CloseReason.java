package io.gtcp;

/** Why the pool physically closed a connection; reported to {@link PoolListener#connectionClosed}. */
public enum CloseReason {
    /** An operation on it failed: its last state is unknown, so it is never reused. */
    BROKEN,
    /** The stream is out of sync: unread bytes were left, or a frame was truncated or oversized. */
    OUT_OF_SYNC,
    /** The borrow-time check found it closed by the peer, or holding bytes nobody asked for. */
    STALE,
    /** It stayed idle longer than the idle TTL. */
    IDLE_EXPIRED,
    /** It lived longer than the maximum lifetime. */
    LIFETIME_EXPIRED,
    /** Its factory was closed. */
    FACTORY_CLOSED,
    /** Its first write after a borrow failed, so it was replaced by a fresh connection. */
    REPLACED,
    /**
     * It was idle when outlier ejection took its endpoint out of a group's rotation, or brought it back: a
     * connection that sat idle to a failing server is not trusted; the endpoint's next borrow dials afresh.
     */
    EJECTED
}
