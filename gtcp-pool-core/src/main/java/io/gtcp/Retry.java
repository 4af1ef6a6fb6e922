package io.gtcp;

import java.time.Duration;

/**
 * How often, and how far apart, a failed send or receive is tried again.
 *
 * <p>Mirrors gtcp's {@code Retry{Count, Interval}}: on a write error the whole buffer is written again after
 * {@link #interval()}, up to {@link #count()} more times; on a read error (never end of stream, never a
 * timeout whose deadline has passed) reading goes on into the same buffer. Unlike Go, each call gets its own
 * budget, and a negative count is rejected instead of looping forever.
 *
 * @param count    how many more attempts after the first one; 0 means none
 * @param interval the pause between attempts; {@code null} or zero means 100 ms
 */
public record Retry(int count, Duration interval) {

    /** The pause used when none is given: 100 ms, as in gtcp. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    /** No retry at all. */
    public static final Retry NONE = new Retry(0, DEFAULT_INTERVAL);

    public Retry {
        if (count < 0) {
            throw new IllegalArgumentException("retry count must not be negative: " + count);
        }
        if (interval == null || interval.isZero()) {
            interval = DEFAULT_INTERVAL;
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("retry interval must not be negative: " + interval);
        }
    }

    /** {@code count} more attempts, 100 ms apart. */
    public static Retry of(int count) {
        return count == 0 ? NONE : new Retry(count, DEFAULT_INTERVAL);
    }

    /** {@code count} more attempts, {@code interval} apart ({@code null} or zero: 100 ms). */
    public static Retry of(int count, Duration interval) {
        return new Retry(count, interval);
    }
}
