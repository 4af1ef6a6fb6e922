package io.gtcp;

import java.time.Duration;

/**
 * How many attempts after a call's first one a factory may make: failover dials inside {@code get()},
 * reconnect-on-send, idempotent re-sends and {@link Retry} repeats all draw on it. Over any {@code window}, those
 * attempts stay within {@code ratio} × the calls made in that window plus {@code minPerSecond} × the window's
 * seconds; the second part accrues as a rate from the factory's start (a new factory starts with one second's
 * worth, so its first calls can fail over across a group), it is not a burst at start. An attempt that finds the
 * budget empty is not made: the call ends with the failure at hand.
 *
 * <p>This is Finagle's rule (a retry budget rather than a retry count): when a fleet fails, retries add at most
 * {@code ratio} to its load instead of multiplying it, so a dead group of three costs about 1.2 attempts a call,
 * not three; when a single request fails now and then, the per-second floor still lets it be retried.
 *
 * @param ratio        attempts after the first allowed per call made in the window; 0 or more
 * @param minPerSecond attempts allowed per second whatever the traffic; 0 or more
 * @param window       how far back calls and attempts are counted; 1 s to 1 h
 */
public record RetryBudget(double ratio, int minPerSecond, Duration window) {

    private static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    private static final RetryBudget DEFAULTS = new RetryBudget(0.2, 10, DEFAULT_WINDOW);
    private static final RetryBudget UNLIMITED = new RetryBudget(Double.POSITIVE_INFINITY, Integer.MAX_VALUE,
            DEFAULT_WINDOW);
    private static final RetryBudget NONE = new RetryBudget(0, 0, DEFAULT_WINDOW);

    /** Checks the values: an {@link IllegalArgumentException} names the one that is wrong. */
    public RetryBudget {
        if (Double.isNaN(ratio) || ratio < 0) {
            throw new IllegalArgumentException("retry budget ratio must be 0 or more: " + ratio);
        }
        if (minPerSecond < 0) {
            throw new IllegalArgumentException("retry budget minPerSecond must not be negative: " + minPerSecond);
        }
        if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("retry budget window must be between 1 s and 1 h: " + window);
        }
    }

    /** 0.2, 10, 10 s: retries up to 20 % of calls, plus 10 a second. */
    public static RetryBudget defaults() {
        return DEFAULTS;
    }

    /** No limit: every attempt the call's own rules allow is made. */
    public static RetryBudget unlimited() {
        return UNLIMITED;
    }

    /** No attempt after the first, ever: no failover dial, no reconnect-on-send, no re-send, no retry. */
    public static RetryBudget none() {
        return NONE;
    }

    /** Whether this budget never refuses an attempt. */
    public boolean isUnlimited() {
        return ratio == Double.POSITIVE_INFINITY || minPerSecond == Integer.MAX_VALUE;
    }

    /** Whether this budget refuses every attempt after a call's first. */
    public boolean isNone() {
        return ratio == 0 && minPerSecond == 0;
    }
}
