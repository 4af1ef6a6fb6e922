package io.gtcp.internal.io;

/**
 * Asked before every attempt after a call's first one (a {@link io.gtcp.Retry} repeat of a link, a reconnect, a
 * failover dial, a re-send): may it be made? The factory's retry budget answers; a plain connection's answer is
 * always yes. Asked only on a failure path, never on a call that succeeds at once.
 */
@FunctionalInterface
public interface RetryGate {

    /** Allows everything: a connection that belongs to no factory. */
    RetryGate ALWAYS = () -> true;

    /** Takes one attempt from the budget; false (and nothing taken) when it is empty: the attempt is not made. */
    boolean tryAttempt();
}
