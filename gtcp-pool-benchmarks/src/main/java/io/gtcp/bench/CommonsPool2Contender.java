package io.gtcp.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;

/**
 * {@code commons-pool2}: the do-it-yourself pool, as a user writes it: a {@link GenericKeyedObjectPool} keyed by
 * address, holding {@link PooledSocket}s. Its size matches gtcp's per address; everything else is commons-pool2's
 * default. Three forms, one class, so they differ only in what their names say:
 * <ul>
 * <li>{@code commons-pool2}: stripped, no test on borrow (what most hand-written pools do);</li>
 * <li>{@code commons-pool2-tob}: {@code testOnBorrow} with {@link PooledSocket#isUsable()}, the check users
 * write (one {@code available()} system call per borrow);</li>
 * <li>{@code commons-pool2-group}: stripped, over several addresses, the key picked round-robin by a shared
 * counter: how users spread load over a few servers by hand.</li>
 * </ul>
 */
final class CommonsPool2Contender implements Contender {

    /** Dials sockets for the pool and closes them; its validation is the check users write. */
    private static final class SocketFactory extends BaseKeyedPooledObjectFactory<InetSocketAddress, PooledSocket> {
        private final boolean timeouts;
        private final boolean tls;

        SocketFactory(boolean timeouts, boolean tls) {
            this.timeouts = timeouts;
            this.tls = tls;
        }

        @Override
        public PooledSocket create(InetSocketAddress address) throws IOException {
            return PooledSocket.open(address, timeouts, tls);
        }

        @Override
        public PooledObject<PooledSocket> wrap(PooledSocket socket) {
            return new DefaultPooledObject<>(socket);
        }

        @Override
        public boolean validateObject(InetSocketAddress key, PooledObject<PooledSocket> pooled) {
            return pooled.getObject().isUsable();
        }

        @Override
        public void destroyObject(InetSocketAddress key, PooledObject<PooledSocket> pooled) throws IOException {
            pooled.getObject().close();
        }
    }

    private final String name;
    private final List<InetSocketAddress> addresses;
    private final AtomicInteger next = new AtomicInteger();
    private final GenericKeyedObjectPool<InetSocketAddress, PooledSocket> pool;

    /**
     * A pool of {@code maxPerAddress} sockets per address; {@code testOnBorrow} validates each borrow, and
     * {@code timeouts} sets {@code SO_TIMEOUT} 5 s on every socket, and {@code tls} makes them {@code SSLSocket}s.
     */
    CommonsPool2Contender(String name, List<InetSocketAddress> addresses, int maxPerAddress, boolean testOnBorrow,
                          boolean timeouts, boolean tls) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address");
        }
        this.name = name;
        this.addresses = List.copyOf(addresses);
        GenericKeyedObjectPoolConfig<PooledSocket> config = new GenericKeyedObjectPoolConfig<>();
        config.setMaxTotalPerKey(maxPerAddress);
        config.setMaxIdlePerKey(maxPerAddress);
        config.setMaxTotal(-1);
        config.setMaxWait(java.time.Duration.ofSeconds(30)); // bounded like gtcp's default acquire timeout
        config.setTestOnBorrow(testOnBorrow);
        config.setJmxEnabled(false);
        this.pool = new GenericKeyedObjectPool<>(new SocketFactory(timeouts, tls), config);
    }

    @Override
    public String name() {
        return name;
    }

    private InetSocketAddress nextAddress() {
        return addresses.size() == 1 ? addresses.get(0)
                : addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
    }

    /** Borrows a connection from the first address; for the microbenchmark. */
    PooledSocket borrow() throws Exception {
        return pool.borrowObject(addresses.get(0));
    }

    /** Gives a healthy connection of the first address back; for the microbenchmark. */
    void giveBack(PooledSocket socket) {
        pool.returnObject(addresses.get(0), socket);
    }

    @Override
    public Worker newWorker() {
        return payload -> {
            InetSocketAddress key = nextAddress();
            PooledSocket s = pool.borrowObject(key);
            byte[] reply;
            try {
                reply = s.exchange(payload);
            } catch (IOException | RuntimeException e) {
                pool.invalidateObject(key, s);
                throw e;
            }
            pool.returnObject(key, s);
            return reply;
        };
    }

    @Override
    public void close() {
        pool.close();
    }
}
