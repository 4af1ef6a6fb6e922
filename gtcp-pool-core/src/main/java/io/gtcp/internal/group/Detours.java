package io.gtcp.internal.group;

import io.gtcp.AcquireTimeoutException;
import io.gtcp.PendingLimitException;
import io.gtcp.internal.io.Deadlines;
import io.gtcp.internal.io.RetryGate;
import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.EndpointFull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;

/**
 * Where a borrow from an {@link EndpointGroup} goes when the endpoint its balancer picked cannot serve it: an
 * endpoint that already failed the call being re-sent, a full endpoint, a refused or failed dial, an endpoint that
 * left the group while it was chosen. The group's {@code borrow} is the straight path; every way around lives
 * here, so the rules of a detour (who is tried, in which order, at what cost to the retry budget and the deadline)
 * read in one place.
 *
 * <p><b>The order of a detour.</b> Failover after a failed dial tries every other endpoint once, the usable ones
 * first, in list order from the one after the pick, then the ejected ones, and for a re-send the endpoints that
 * already failed the call last of all: an idle connection of a server that has just failed the request may be one
 * it is closing. Each such dial is an attempt the retry budget must allow and the deadline leave time for. A
 * full endpoint sends the caller to another with a free place before anyone waits, never to one that failed the
 * call. A caller sees a dead server only when every server failed it (the first failure thrown, the others
 * suppressed). A full pool (acquire timeout), a refusal by {@code maxPending}, an interrupt or a closed factory is
 * the caller's answer at once: another endpoint would not change it.
 */
final class Detours {

    private final EndpointGroup group;
    private final String name;
    private final Balancer balancer;
    /** The factory's retry budget: each failover dial is an attempt after the call's first. */
    private final RetryGate retries;

    Detours(EndpointGroup group, String name, Balancer balancer, RetryGate retries) {
        this.group = group;
        this.name = name;
        this.balancer = balancer;
        this.retries = retries;
    }

    /**
     * For a re-send whose pick is an endpoint that already failed the call: the next candidate that did not, else
     * (every usable endpoint failed it) an ejected endpoint that did not, which is a better bet than a server that
     * has just failed this very request; else the pick itself.
     */
    static Endpoint notAvoided(Members m, Endpoint[] candidates, Endpoint chosen, AddressPool avoid,
                                       AddressPool alsoAvoid) {
        int from = indexOf(candidates, chosen);
        for (int k = 1; k < candidates.length; k++) {
            Endpoint next = candidates[(from + k) % candidates.length];
            if (!avoided(next, avoid, alsoAvoid)) {
                return next;
            }
        }
        for (Endpoint e : m.all) {
            if (!avoided(e, avoid, alsoAvoid)) {
                return e;
            }
        }
        return chosen;
    }

    static boolean avoided(Endpoint e, AddressPool avoid, AddressPool alsoAvoid) {
        return e.pool == avoid || e.pool == alsoAvoid;
    }

    /**
     * Every place of {@code chosen} is taken: the first other candidate that has a free place (an idle connection
     * or room to dial), else a wait for {@code chosen}, bounded by {@code maxPending}. A full endpoint never makes
     * a caller wait while another has a free place, whatever the balancing policy picked. The endpoints a call's
     * earlier attempts failed on ({@code avoid}, {@code alsoAvoid}) are not among the others: an idempotent
     * re-send must not land on an idle connection of the server that just failed it (a draining server closes
     * those).
     */
    <T> T elsewhereOrWait(Members m, Endpoint[] candidates, Endpoint chosen, ConnectionOpener<T> opener,
                                  long connectTimeoutNanos, long deadline, AddressPool avoid, AddressPool alsoAvoid)
            throws IOException {
        int from = indexOf(candidates, chosen);
        for (int k = 1; k < candidates.length; k++) {
            Endpoint next = candidates[(from + k) % candidates.length];
            if (avoid != null && avoided(next, avoid, alsoAvoid)) {
                continue;
            }
            try {
                T conn = opener.open(next.pool, connectTimeoutNanos, deadline, false);
                if (conn != null) {
                    return conn;
                }
            } catch (EndpointFull full) {
                // no free place there either
            } catch (IOException e) {
                if (!movesOn(e)) {
                    throw e;
                } // a failed dial there: its pool counted it; waiting for the chosen one is still the way on
            }
        }
        T conn;
        try {
            conn = opener.open(chosen.pool, connectTimeoutNanos, deadline, true);
        } catch (IOException failed) {
            return failover(m, chosen, failed, opener, connectTimeoutNanos, deadline, true, avoid, alsoAvoid);
        }
        return conn != null ? conn : failover(m, chosen, left(chosen, null), opener, connectTimeoutNanos, deadline,
                true, avoid, alsoAvoid);
    }

    /**
     * After {@code chosen} failed: every other endpoint of {@code m} once, the usable ones first, in list order
     * from the one after it, each an attempt the retry budget must allow and the deadline leave time for. The
     * endpoints a re-sent call already failed on ({@code avoid}, {@code alsoAvoid}; null: none) come last: an
     * idle connection of a server that has just failed the request may be one it is closing. An endpoint that
     * left the group meanwhile (a refresh drained it) is passed over, and if only such endpoints failed, the call
     * starts once more on the new membership.
     */
    <T> T failover(Members m, Endpoint chosen, IOException failure, ConnectionOpener<T> opener,
                           long connectTimeoutNanos, long deadline, boolean mayRestart, AddressPool avoid,
                           AddressPool alsoAvoid) throws IOException {
        if (!movesOn(failure)) {
            throw failure;
        }
        IOException first = chosen.member ? failure : null;
        IOException drained = chosen.member ? null : failure;
        Endpoint[] all = m.all;
        int from = m.indexOf(chosen);
        int passes = avoid == null ? 2 : 3;
        for (int pass = 0; pass < passes; pass++) {
            boolean usable = pass == 0;
            boolean lastResort = pass == 2;
            for (int k = 1; k < all.length; k++) {
                int i = (from + k) % all.length;
                Endpoint next = all[i];
                if (avoid != null && avoided(next, avoid, alsoAvoid) != lastResort
                        || !lastResort && m.isUsable(i) != usable) {
                    continue;
                }
                mayTryAnother(first != null ? first : drained, deadline);
                try {
                    T conn = opener.open(next.pool, connectTimeoutNanos, deadline, true);
                    if (conn != null) {
                        return conn;
                    }
                    drained = left(next, null);
                } catch (IOException e) {
                    if (!movesOn(e)) {
                        addSuppressed(e, first != null ? first : drained);
                        throw e;
                    }
                    if (!next.member) {
                        drained = left(next, e);
                    } else if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        if (first == null && mayRestart && group.members() != m) {
            return restart(opener, connectTimeoutNanos, deadline, drained);
        }
        throw first != null ? first : drained;
    }

    /** One more try on the current membership, after every endpoint tried had left the group. */
    private <T> T restart(ConnectionOpener<T> opener, long connectTimeoutNanos, long deadline, IOException drained)
            throws IOException {
        Members m = group.members();
        Endpoint[] candidates = m.usable.length > 0 ? m.usable : m.all;
        if (candidates.length == 0) {
            throw group.isClosed() ? group.closedException() : group.empty();
        }
        mayTryAnother(drained, deadline);
        Endpoint chosen = balancer.pick(candidates);
        try {
            T conn = opener.open(chosen.pool, connectTimeoutNanos, deadline, true);
            if (conn != null) {
                return conn;
            }
            return failover(m, chosen, left(chosen, null), opener, connectTimeoutNanos, deadline, false, null, null);
        } catch (IOException failed) {
            addSuppressed(failed, drained);
            return failover(m, chosen, failed, opener, connectTimeoutNanos, deadline, false, null, null);
        }
    }

    /**
     * Before a failover attempt: throws {@code failure} (the one at hand) if the retry budget refuses the attempt,
     * or a {@link SocketTimeoutException} caused by it if the call's deadline has passed.
     */
    private void mayTryAnother(IOException failure, long deadline) throws IOException {
        if (deadline != Deadlines.NONE && deadline - System.nanoTime() <= 0) {
            SocketTimeoutException e = new SocketTimeoutException("the call's deadline passed before another endpoint"
                    + " of group '" + name + "' could be tried (" + failure + ")");
            e.initCause(failure);
            throw e;
        }
        if (!retries.tryAttempt()) {
            throw failure;
        }
    }

    private static int indexOf(Endpoint[] endpoints, Endpoint endpoint) {
        for (int i = 0; i < endpoints.length; i++) {
            if (endpoints[i] == endpoint) {
                return i;
            }
        }
        return 0;
    }

    /** Whether a failed borrow should move on to another endpoint: a failed dial does; see the class comment. */
    private boolean movesOn(IOException e) {
        if (group.isClosed() || e instanceof AcquireTimeoutException || e instanceof PendingLimitException
                || Thread.currentThread().isInterrupted()) {
            return false;
        }
        return !(e instanceof InterruptedIOException) || e instanceof SocketTimeoutException;
    }

    IOException left(Endpoint endpoint, IOException cause) {
        return new IOException("endpoint " + endpoint + " left group '" + name + "' while it was chosen", cause);
    }

    private static void addSuppressed(IOException to, IOException other) {
        if (other != null && other != to) {
            to.addSuppressed(other);
        }
    }
}
