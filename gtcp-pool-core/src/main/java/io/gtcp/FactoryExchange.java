package io.gtcp;

import io.gtcp.internal.call.CallOps;
import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.PoolEntry;

import java.io.IOException;

/**
 * How a factory exchange ({@link PoolConnFactory#sendRecvPkg} and its kin) uses a {@link PoolConn}: the
 * borrow is {@code get()}'s, the exchange is the connection's own ({@link Conn#sendRecvPkg} or
 * {@link Conn#sendRecv}, so observation, reconnect-on-send and failure accounting are exactly a
 * {@code PoolConn}'s), and the give-back is its {@code close()}. Two constants, one per mode: a call allocates
 * nothing for them.
 */
final class FactoryExchange implements CallOps<PoolConn> {

    /** The package protocol: the request is framed, the reply is one frame. */
    static final FactoryExchange PKG = new FactoryExchange(true);
    /** Raw mode: the request as it is, the reply as {@link Conn#sendRecv} reads it. */
    static final FactoryExchange RAW = new FactoryExchange(false);

    private final boolean pkg;

    private FactoryExchange(boolean pkg) {
        this.pkg = pkg;
    }

    @Override
    public PoolConn open(AddressPool pool, long connectTimeoutNanos, long deadline, boolean mayWait)
            throws IOException {
        PoolEntry entry = pool.borrow(connectTimeoutNanos, deadline, mayWait);
        return entry == null ? null : PoolConn.handOut(pool, entry, connectTimeoutNanos);
    }

    @Override
    public byte[] exchange(PoolConn conn, byte[] request, int receive, PkgOption[] option, long deadline)
            throws IOException {
        return pkg ? conn.sendRecvPkg(request, deadline, option)
                : RawMode.sendRecv(conn, request, receive, deadline, null);
    }

    @Override
    public boolean replyBegun(PoolConn conn) {
        return conn.replyBegun;
    }

    @Override
    public AddressPool pool(PoolConn conn) {
        return conn.pool();
    }

    @Override
    public boolean stale(PoolConn conn) {
        return conn.link.isStale();
    }

    @Override
    public void discard(PoolConn conn) {
        conn.discard();
    }

    @Override
    public void giveBack(PoolConn conn) {
        conn.close();
    }
}
