package io.gtcp.chaos;

/**
 * What {@link ChaosProxy} can do to a connection's next reply (the bytes travelling from the server back to the
 * client), on command or drawn at random. Each fault is one way a real network or server lets a client down.
 */
public enum Fault {

    /** Deliver the reply, then close both sides with a FIN: the server closed a connection that is now idle. */
    CLOSE,

    /** Drop the reply and reset both sides (RST, via {@code SO_LINGER 0}): a reset while a request is pending. */
    RESET,

    /** Deliver the first half of the reply and hold the rest, and all that follows: a stall in mid-frame. */
    STALL,

    /** Deliver the first half of the reply, then close with a FIN: a frame truncated mid-way. */
    TRUNCATE,

    /** Swallow the reply and everything after it: a peer that accepts but never answers. */
    BLACK_HOLE,

    /** Deliver this reply and the following ones a byte at a time. */
    DRIP,

    /** Deliver the reply twice in one write: the stream is out of sync, one frame nobody asked for. */
    DUPLICATE,

    /** Drop the reply and restart the server on the same port, which closes every connection it had. */
    RESTART
}
