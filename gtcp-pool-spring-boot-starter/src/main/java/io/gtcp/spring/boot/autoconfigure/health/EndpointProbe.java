package io.gtcp.spring.boot.autoconfigure.health;

import io.gtcp.PoolConnFactory;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds out whether a pool's endpoints can be dialled as a borrower would dial them: through
 * {@link PoolConnFactory#checkEndpoint}, so with the address the group resolved through the pool's resolver, and
 * for a TLS pool with the handshake and host name verification (a server whose certificate every dial rejects is
 * not healthy just because it accepts TCP connections). The connections are closed at once, not pooled, and count
 * neither for nor against the endpoint.
 *
 * <p>All endpoints are dialled at once, each on a short-lived daemon thread of its own, and one timeout bounds the
 * whole probe however many endpoints there are, so a health request never hangs behind a black-holed address or a
 * name that does not resolve. The health indicator calls it at most once per endpoint every few seconds.
 */
final class EndpointProbe {

    /** What the caller waits beyond the timeout for a dial that ends by its own deadline to report. */
    private static final long REPORT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private EndpointProbe() {
    }

    /** Each endpoint mapped to null if the dial worked, else why not. */
    static Map<String, IOException> probe(PoolConnFactory factory, Collection<String> endpoints, Duration timeout) {
        Map<String, CompletableFuture<IOException>> dials = new LinkedHashMap<>();
        for (String endpoint : new LinkedHashSet<>(endpoints)) {
            CompletableFuture<IOException> outcome = new CompletableFuture<>();
            Thread dial = new Thread(() -> {
                try {
                    factory.checkEndpoint(endpoint, timeout);
                    outcome.complete(null);
                }
                catch (IOException ex) {
                    outcome.complete(ex);
                }
                catch (RuntimeException ex) {
                    outcome.complete(new IOException(ex.toString(), ex));
                }
            }, "gtcp-health-probe-" + factory.name());
            dial.setDaemon(true);
            dial.start();
            dials.put(endpoint, outcome);
        }
        long deadline = System.nanoTime() + timeout.toNanos() + REPORT_GRACE_NANOS;
        Map<String, IOException> outcomes = new LinkedHashMap<>();
        dials.forEach((endpoint, outcome) -> outcomes.put(endpoint, await(outcome, deadline, timeout)));
        return outcomes;
    }

    private static IOException await(CompletableFuture<IOException> outcome, long deadline, Duration timeout) {
        try {
            return outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException ex) {
            return new SocketTimeoutException("no connection within " + timeout.toMillis() + " ms");
        }
        catch (ExecutionException ex) {
            return new IOException(ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new IOException("interrupted while probing", ex);
        }
    }
}
