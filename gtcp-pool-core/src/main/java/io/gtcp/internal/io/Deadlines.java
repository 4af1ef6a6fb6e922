package io.gtcp.internal.io;

import java.time.Duration;
import java.time.Instant;

/**
 * Deadlines as {@link System#nanoTime()} values, with {@link #NONE} for "no deadline". Working in nano time
 * keeps deadlines immune to wall-clock jumps and lets several limits combine with a plain {@code min}.
 */
public final class Deadlines {

    /** No deadline. */
    public static final long NONE = Long.MAX_VALUE;

    private Deadlines() {
    }

    /** The deadline {@code timeoutNanos} after {@code now}; {@link #NONE} when the timeout is not positive. */
    public static long after(long now, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return NONE;
        }
        long deadline = now + timeoutNanos;
        return deadline < now ? NONE : deadline; // saturate instead of wrapping
    }

    /**
     * The deadline of a call made "with timeout" ({@code *WithTimeout}): {@code timeout} from now, which must be
     * positive (else an {@link IllegalArgumentException} naming it).
     */
    public static long ofCall(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return after(System.nanoTime(), nanos(timeout, "timeout"));
    }

    /** The nano-time deadline of a wall-clock instant; {@code null} means none. A past instant is already due. */
    public static long of(Instant instant) {
        if (instant == null) {
            return NONE;
        }
        long now = System.nanoTime();
        long remaining;
        try {
            remaining = Duration.between(Instant.now(), instant).toNanos();
        } catch (ArithmeticException tooFar) {
            return instant.isBefore(Instant.now()) ? now - 1 : NONE;
        }
        if (remaining <= 0) {
            return now + remaining;
        }
        long deadline = now + remaining;
        return deadline < now ? NONE : deadline;
    }

    /** Nanoseconds of a duration, with {@code null} as 0; rejects negative durations naming {@code what}. */
    public static long nanos(Duration duration, String what) {
        if (duration == null) {
            return 0;
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + duration);
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * A timeout (0: none) shortened to what is left before {@code deadline}: what a dial inside a call may take.
     * A deadline already passed leaves a nanosecond, so the dial fails at once with its own timeout.
     */
    public static long bound(long timeoutNanos, long deadline) {
        if (deadline == NONE) {
            return timeoutNanos;
        }
        long remaining = Math.max(1, deadline - System.nanoTime());
        return timeoutNanos <= 0 ? remaining : Math.min(timeoutNanos, remaining);
    }

    /**
     * A remaining time as the millisecond timeout of a JDK socket call ({@code SO_TIMEOUT}, a connect timeout):
     * rounded up and at least 1, since 0 would mean "no limit" there.
     */
    public static int toMillis(long nanos) {
        long millis = (nanos + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }
}
