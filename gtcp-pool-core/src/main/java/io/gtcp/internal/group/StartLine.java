package io.gtcp.internal.group;

import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;
import io.gtcp.internal.pool.PoolConfig;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The factory's one INFO line at start: every setting that decides how it behaves, as in effect (defaults
 * included), so that a configuration mistake (a typo that left a default, a service id spelt wrong) shows in the
 * log without a debugger. Where it connects comes first; the group's balancing, ejection and refresh only when
 * there is a group of more than one address or a source that can change it.
 */
public final class StartLine {

    private StartLine() {
    }

    /** {@code 'orders' started: [a:1, b:2] (least-busy, …), max 64 per address, …}, without the leading "pool". */
    public static String of(PoolConfig config, GroupConfig group) {
        StringBuilder line = new StringBuilder();
        line.append('\'').append(config.name()).append("' started: ");
        if (config.address() != null) {
            line.append(config.address());
        } else if (group.source() != null) {
            line.append(source(group));
        } else if (group.entries().isEmpty()) {
            line.append("any address");
        } else {
            line.append(group.entries());
        }
        if (group.source() != null || group.entries().size() > 1
                || (config.address() == null && !group.entries().isEmpty())) {
            line.append(" (").append(balancing(group.loadBalancing())).append(", ")
                    .append(ejection(group.outlierEjection())).append(", ")
                    .append(group.refreshEveryNanos() > 0 ? "refresh every " + millis(group.refreshEveryNanos()) + " ms"
                            : "no refresh")
                    .append(')');
        }
        line.append(", max ").append(config.maxSize()).append(" per address, min idle ").append(config.minIdle())
                .append(", idle ttl ").append(millis(config.ttlNanos())).append(" ms")
                .append(", max lifetime ").append(limit(config.maxLifetimeNanos()))
                .append(", connect timeout ").append(limit(config.connectTimeoutNanos()))
                .append(", acquire timeout ").append(millis(config.acquireTimeoutNanos())).append(" ms")
                .append(", read timeout ").append(limit(config.readTimeoutNanos()))
                .append(", write timeout ").append(limit(config.writeTimeoutNanos()))
                .append(config.validateOnBorrow() ? ", borrow check" : ", no borrow check");
        if (config.retry() != null && config.retry().count() > 0) {
            line.append(", retry ").append(config.retry().count()).append('x');
        }
        if (config.sslContext() != null) {
            line.append(", TLS");
        }
        return line.toString();
    }

    /** The group's entries, or its source's own description (a lambda's class name says nothing: not that). */
    public static String source(GroupConfig group) {
        if (group.source() == null) {
            return group.entries().toString();
        }
        return group.source().getClass().isSynthetic() ? "an endpoint source" : group.source().toString();
    }

    private static String balancing(LoadBalancing policy) {
        return policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String ejection(OutlierEjection ejection) {
        if (!ejection.enabled()) {
            return "no ejection";
        }
        return "ejection after " + ejection.consecutiveFailures() + " failures for "
                + ejection.baseEjectionTime().toMillis() + " ms, at most " + ejection.maxEjectionPercent() + " %";
    }

    private static String limit(long nanos) {
        return nanos > 0 ? millis(nanos) + " ms" : "none";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
