package io.gtcp.bench;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

/**
 * {@code gtcp}: gtcp-pool as its README shows it: one {@link PoolConnFactory} with the default settings (max 64
 * per address, stale check on), and for each exchange {@code get()}, {@code sendRecvPkg}, {@code close()}.
 */
final class GtcpContender implements Contender {

    private final PoolConnFactory pool;

    GtcpContender(String address) {
        this.pool = PoolConnFactory.builder().name("bench").address(address).build();
    }

    @Override
    public String name() {
        return "gtcp";
    }

    @Override
    public Worker newWorker() {
        return payload -> {
            try (PoolConn conn = pool.get()) {
                return conn.sendRecvPkg(payload);
            }
        };
    }

    @Override
    public void close() {
        pool.close();
    }
}
