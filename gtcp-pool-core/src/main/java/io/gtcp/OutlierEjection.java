package io.gtcp;

import java.time.Duration;

/**
 * When an endpoint of a group is taken out of rotation ("ejected") for failing, in the manner of Envoy's outlier
 * detection: after {@code consecutiveFailures} failures in a row (a failed dial, or an operation that ended in an
 * {@link java.io.IOException}; a completed operation resets the count) the endpoint is skipped for
 * {@code baseEjectionTime} times the number of times it was ejected in a row (at most 10 times), then comes back
 * by itself. At most {@code maxEjectionPercent} of a group (rounded down, but at least one endpoint in a group of
 * two or more) is ejected at once; a group of one is never ejected.
 *
 * @param consecutiveFailures failures in a row that eject an endpoint; 0 disables ejection
 * @param baseEjectionTime    how long the first ejection lasts; must be positive when ejection is on
 * @param maxEjectionPercent  the largest share of the group ejected at once, 0..100
 */
public record OutlierEjection(int consecutiveFailures, Duration baseEjectionTime, int maxEjectionPercent) {

    private static final OutlierEjection DEFAULTS = new OutlierEjection(5, Duration.ofSeconds(10), 50);
    private static final OutlierEjection DISABLED = new OutlierEjection(0, Duration.ofSeconds(10), 50);

    /** Checks the values: a bad one is an {@link IllegalArgumentException} naming it. */
    public OutlierEjection {
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures must not be negative: " + consecutiveFailures);
        }
        if (baseEjectionTime == null || baseEjectionTime.isNegative()
                || (consecutiveFailures > 0 && baseEjectionTime.isZero())) {
            throw new IllegalArgumentException("baseEjectionTime must be positive: " + baseEjectionTime);
        }
        if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
            throw new IllegalArgumentException("maxEjectionPercent must be within 0..100: " + maxEjectionPercent);
        }
    }

    /** 5 failures in a row eject for 10 s (growing with each ejection in a row), at most half of a group. */
    public static OutlierEjection defaults() {
        return DEFAULTS;
    }

    /** Never eject. */
    public static OutlierEjection disabled() {
        return DISABLED;
    }

    /** Whether ejection is on at all. */
    public boolean enabled() {
        return consecutiveFailures > 0;
    }
}
