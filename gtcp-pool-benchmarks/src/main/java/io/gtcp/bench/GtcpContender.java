package io.gtcp.bench;

import io.gtcp.LoadBalancing;
import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.time.Duration;
import java.util.List;

/**
 * {@code gtcp}: gtcp-pool as its README shows it: one {@link PoolConnFactory} with the default settings but the
 * pool size, and for each exchange {@code get()}, {@code sendRecvPkg}, {@code close()}. With several addresses it
 * is {@code gtcp-group}: one factory over all of them, {@link LoadBalancing#LEAST_BUSY}. With {@code timeouts}
 * it sets what every production user sets: {@code readTimeout(5s)} and {@code writeTimeout(5s)}. With {@code tls}
 * it dials TLS with the harness's client context ({@code sslContext}, {@link BenchTls#client()}).
 */
final class GtcpContender implements Contender {

    /** The read and write timeouts of the {@code --timeouts} mode. */
    static final Duration TIMEOUT = Duration.ofMillis(PooledSocket.TIMEOUT_MILLIS);

    private final String name;
    private final PoolConnFactory pool;

    GtcpContender(String name, List<String> addresses, int maxPerAddress, boolean timeouts, boolean tls) {
        this.name = name;
        PoolConnFactory.Builder builder = PoolConnFactory.builder().name("bench").maxSize(maxPerAddress);
        if (addresses.size() == 1) {
            builder.address(addresses.get(0));
        } else {
            builder.addresses(addresses).loadBalancing(LoadBalancing.LEAST_BUSY);
        }
        if (timeouts) {
            builder.readTimeout(TIMEOUT).writeTimeout(TIMEOUT);
        }
        if (tls) {
            builder.sslContext(BenchTls.client());
        }
        this.pool = builder.build();
    }

    @Override
    public String name() {
        return name;
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
