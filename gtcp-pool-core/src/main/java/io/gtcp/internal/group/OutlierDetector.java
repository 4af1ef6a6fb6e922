package io.gtcp.internal.group;

import io.gtcp.OutlierEjection;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of outlier ejection, in the manner of Envoy's: when an endpoint has failed often enough in a row to
 * leave the rotation, for how long, and when it comes back. The failure count itself is the pool's
 * ({@link io.gtcp.internal.pool.EndpointHealth}: a failed dial or operation counts one, a completed operation
 * resets it), so there is a single source of truth for "is this address failing".
 *
 * <ul>
 *   <li>An endpoint with {@code consecutiveFailures} failures in a row is ejected for {@code baseEjectionTime}
 *       times the number of ejections it has had in a row, at most ten times; the multiplier resets once it
 *       serves successfully. Growing times keep a flapping server out longer without keeping a recovered one
 *       out long.</li>
 *   <li>It comes back by itself when the time has passed, on probation: one failure ejects it again, since a
 *       server that was down is most likely still down.</li>
 *   <li>At most {@code maxEjectionPercent} of the group is ejected at once (rounded down, but at least one in a
 *       group of two or more), and a group of one never: ejection routes traffic to the others, so it must
 *       leave enough of them; when the whole group is failing, ejecting cannot help.</li>
 * </ul>
 *
 * <p>It holds only the settings; the state is on each {@link Endpoint}, and every method runs under the group's
 * lock, because the rules compare an endpoint with the rest of the group.
 */
final class OutlierDetector {

    /** The longest an ejection lasts, in multiples of the base time. */
    static final int MAX_MULTIPLIER = 10;

    private final OutlierEjection settings;
    private final long baseNanos;

    OutlierDetector(OutlierEjection settings) {
        this.settings = settings;
        this.baseNanos = settings.enabled() ? settings.baseEjectionTime().toNanos() : 0;
    }

    boolean enabled() {
        return settings.enabled();
    }

    /**
     * Whether this failure ejects {@code endpoint}; if it does, the endpoint is marked ejected and the ejection's
     * length is returned, else 0.
     */
    long failed(Endpoint endpoint, int consecutiveFailures, Members members, long now) {
        if (!settings.enabled() || !endpoint.member || endpoint.ejected) {
            return 0;
        }
        if (!endpoint.onProbation && consecutiveFailures < settings.consecutiveFailures()) {
            return 0;
        }
        if (members.ejectedCount() >= maxEjected(members.all.length)) {
            return 0;
        }
        int multiplier = Math.min(endpoint.ejectionsInARow + 1, MAX_MULTIPLIER);
        long length = baseNanos > Long.MAX_VALUE / (4L * MAX_MULTIPLIER) ? Long.MAX_VALUE / 4 : baseNanos * multiplier;
        endpoint.ejectionsInARow = multiplier;
        endpoint.ejected = true;
        endpoint.ejectedUntil = now + length;
        endpoint.onProbation = false;
        return length;
    }

    /**
     * The endpoint served successfully: the next ejection, if any, starts from the base time again. While it is
     * ejected this waits for the restore: a success then is most likely a call that was under way before the
     * server failed, and what counts is the endpoint's last word when it comes back.
     */
    void recovered(Endpoint endpoint) {
        if (!endpoint.ejected) {
            endpoint.ejectionsInARow = 0;
            endpoint.onProbation = false;
        }
    }

    /** Whether {@code endpoint} is ejected and its time is up by {@code now}. */
    boolean ejectionOver(Endpoint endpoint, long now) {
        return endpoint.ejected && now - endpoint.ejectedUntil >= 0;
    }

    /** Restores {@code endpoint} if its ejection is over by {@code now}; says whether it did. */
    boolean restoreIfDue(Endpoint endpoint, long now) {
        if (!ejectionOver(endpoint, now)) {
            return false;
        }
        restore(endpoint);
        return true;
    }

    /**
     * Back into rotation: on probation if its last word was a failure; if it was a success (it served while it
     * was out), as good as new.
     */
    void restore(Endpoint endpoint) {
        endpoint.ejected = false;
        endpoint.onProbation = endpoint.pool.health().consecutiveFailures() > 0;
        if (!endpoint.onProbation) {
            endpoint.ejectionsInARow = 0;
        }
    }

    /**
     * Restores the ejected endpoints of {@code members} beyond what {@link #maxEjected} allows for its size, those
     * whose ejection would end first first; returns them. After a refresh shrank the group: 2 of 4 ejected at
     * 50 % is within the rule, both of the 2 that remain is not.
     */
    List<Endpoint> restoreOverLimit(Endpoint[] members) {
        int ejected = 0;
        for (Endpoint e : members) {
            if (e.ejected) {
                ejected++;
            }
        }
        int over = ejected - maxEjected(members.length);
        if (over <= 0) {
            return List.of();
        }
        List<Endpoint> restored = new ArrayList<>(over);
        for (; over > 0; over--) {
            Endpoint first = null;
            for (Endpoint e : members) {
                if (e.ejected && (first == null || e.ejectedUntil - first.ejectedUntil < 0)) {
                    first = e;
                }
            }
            restore(first);
            restored.add(first);
        }
        return restored;
    }

    /** How many endpoints of a group of {@code size} may be ejected at once. */
    int maxEjected(int size) {
        if (size < 2) {
            return 0;
        }
        return Math.max(1, size * settings.maxEjectionPercent() / 100);
    }
}
