package io.gtcp.internal.call;

import io.gtcp.PkgOption;
import io.gtcp.internal.group.ConnectionOpener;
import io.gtcp.internal.pool.AddressPool;

import java.io.IOException;

/**
 * What a factory exchange does with the public connection type, which belongs to the factory's package: borrow
 * it, exchange on it, ask how it failed, give it back. The factory supplies this as constants (one for the package
 * protocol, one for raw mode), so a call allocates nothing for it.
 *
 * @param <C> the borrowed connection
 */
public interface CallOps<C> extends ConnectionOpener<C> {

    /** One exchange on {@code conn} within {@code deadline}: {@code receive} is raw mode's, {@code option} the package's. */
    byte[] exchange(C conn, byte[] request, int receive, PkgOption[] option, long deadline) throws IOException;

    /** After a failed exchange: whether any byte of its reply had arrived. */
    boolean replyBegun(C conn);

    /** The pool {@code conn} came from. */
    AddressPool pool(C conn);

    /**
     * Whether the peer has closed, reset or written to {@code conn} while it was idle: the borrow-time check, asked
     * of a re-send's connection whatever its idle time (a server that just failed or drained closes its idle ones).
     */
    boolean stale(C conn);

    /** Closes {@code conn} instead of pooling it (a stale one: not a failure of its endpoint). Never throws. */
    void discard(C conn);

    /** Gives {@code conn} back: to its pool if it is healthy, else closed. Never throws. */
    void giveBack(C conn);
}
