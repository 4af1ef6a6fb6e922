package io.gtcp.internal.call;

import io.gtcp.PendingLimitException;
import io.gtcp.PkgOption;
import io.gtcp.internal.group.EndpointGroup;
import io.gtcp.internal.io.Deadlines;
import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.NamedFailure;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * The life of one factory exchange ({@code factory.sendRecvPkg(request)} and its kin): borrow from the group,
 * exchange, give back, and with {@code idempotent} send again when that is safe, all under one deadline and the
 * factory's retry budget. One instance per factory; a call is a method call on it and allocates nothing of its
 * own on its way to a reply.
 *
 * <p><b>When a request is sent again.</b> Only with {@code idempotent}, only after an {@link IOException} before
 * any byte of the reply arrived (a reset, an end of stream, a refused or failed dial: the server cannot have
 * answered, though it may have received and even processed the request), never after a timeout (the request may
 * be running) or a byte of the reply (the answer was on its way), at most {@value #MAX_RESENDS} times, each on a
 * fresh borrow that prefers another endpoint than the one that failed, and each only if the deadline has time left
 * and the retry budget allows it. A call that may not go on ends with the failure at hand, the earlier attempts'
 * failures suppressed in it; an exchange's failure names its pool and endpoint, keeping its type
 * ({@link NamedFailure}), as a failed dial's does.
 */
public final class ExchangeCall {

    /** Sends of a request after its first: gRPC's and Envoy's default of three attempts in all. */
    static final int MAX_RESENDS = 2;
    /** Stale idle connections a re-send closes before it takes the next one anyway (a bound, not a budget). */
    static final int MAX_STALE_SKIPS = 64;

    private final EndpointGroup group;
    private final RetryAllowance budget;
    private final boolean idempotent;
    private final long connectTimeoutNanos;

    public ExchangeCall(EndpointGroup group, RetryAllowance budget, boolean idempotent, long connectTimeoutNanos) {
        this.group = group;
        this.budget = budget;
        this.idempotent = idempotent;
        this.connectTimeoutNanos = connectTimeoutNanos;
    }

    /** Borrow, exchange, give back; again if it may (see the class comment); by {@code deadline} (or none). */
    public <C> byte[] exchange(CallOps<C> ops, byte[] request, int receive, PkgOption[] option, long deadline)
            throws IOException {
        budget.deposit();
        AddressPool avoid = null;
        AddressPool alsoAvoid = null;
        IOException earlier = null;
        for (int resends = 0; ; resends++) {
            C conn;
            try {
                conn = group.borrow(ops, connectTimeoutNanos, deadline, avoid, alsoAvoid);
                if (resends > 0) {
                    conn = checked(ops, conn, avoid, alsoAvoid, deadline);
                }
            } catch (IOException failed) {
                earlier = endOrGoOn(failed, earlier, resends, deadline, false);
                continue;
            }
            boolean replyBegun;
            try {
                byte[] reply = ops.exchange(conn, request, receive, option, deadline);
                ops.giveBack(conn);
                return reply;
            } catch (IOException failed) {
                replyBegun = ops.replyBegun(conn);
                alsoAvoid = avoid;
                avoid = ops.pool(conn);
                ops.giveBack(conn);
                IOException named = NamedFailure.name(avoid.config().name(), avoid.address(), failed);
                earlier = endOrGoOn(named, earlier, resends, deadline, replyBegun);
            } catch (RuntimeException | Error e) {
                ops.giveBack(conn);
                throw e;
            }
        }
    }

    /**
     * A re-send goes out on a fresh connection: an idle one is checked whatever its idle time (a server that failed
     * or is draining closes its idle connections, and a pooled one used a moment ago skips the borrow-time check),
     * and a stale one is closed and another borrowed, at most {@value #MAX_STALE_SKIPS} times.
     */
    private <C> C checked(CallOps<C> ops, C conn, AddressPool avoid, AddressPool alsoAvoid, long deadline) throws IOException {
        for (int skips = 0; skips < MAX_STALE_SKIPS && ops.stale(conn); skips++) {
            ops.discard(conn);
            conn = group.borrow(ops, connectTimeoutNanos, deadline, avoid, alsoAvoid);
        }
        return conn;
    }

    /** Throws {@code failed} (with the earlier failures) unless the request may be sent again; else returns it. */
    private IOException endOrGoOn(IOException failed, IOException earlier, int resends, long deadline,
                                  boolean replyBegun) throws IOException {
        if (earlier != null && earlier != failed) {
            failed.addSuppressed(earlier);
        }
        if (!idempotent || replyBegun || resends >= MAX_RESENDS || failed instanceof InterruptedIOException
                || failed instanceof PendingLimitException || group.isClosed()
                || Thread.currentThread().isInterrupted()
                || deadline != Deadlines.NONE && deadline - System.nanoTime() <= 0
                || !budget.tryAttempt()) {
            throw failed;
        }
        return failed;
    }
}
