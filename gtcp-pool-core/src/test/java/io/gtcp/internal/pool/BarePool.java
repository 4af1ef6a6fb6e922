package io.gtcp.internal.pool;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.gtcp.ExchangeObserver;
import io.gtcp.Retry;
import io.gtcp.TcpServer;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * An {@link AddressPool} without a factory (so without housekeeping), dialling an echo server on loopback: what the
 * tests of one pool's borrowing and waiting share. A factory's pools keep the {@link CoarseClock} ticking; a bare
 * pool does so only when asked to ({@code ticking}), from its start to its close.
 */
final class BarePool implements AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final TcpServer server;
    final AddressPool pool;
    private final boolean ticking;

    private BarePool(String name, int size, long acquireTimeoutNanos, boolean validateOnBorrow, boolean ticking)
            throws IOException {
        this.ticking = ticking;
        if (ticking) {
            CoarseClock.retain();
        }
        server = new TcpServer("127.0.0.1:0", conn -> {
            try {
                while (true) {
                    conn.sendPkg(conn.recvPkg());
                }
            } catch (EOFException end) {
                conn.close();
            }
        }).start();
        String address = "127.0.0.1:" + server.port();
        PoolConfig config = new PoolConfig(name, address, 0, 0, size, 0, acquireTimeoutNanos, SECONDS.toNanos(5),
                SECONDS.toNanos(5), SECONDS.toNanos(5), Retry.NONE, validateOnBorrow, 0, null, 0,
                ExchangeObserver.NONE, null);
        pool = new AddressPool(address, config, Listeners.NONE, scheduler);
    }

    /**
     * A pool named {@code name} of at most {@code size} connections, waiting up to {@code acquireTimeoutNanos}; with
     * {@code ticking}, the coarse clock ticks until {@link #close()}, as under a factory.
     */
    static BarePool start(String name, int size, long acquireTimeoutNanos, boolean validateOnBorrow, boolean ticking)
            throws IOException {
        return new BarePool(name, size, acquireTimeoutNanos, validateOnBorrow, ticking);
    }

    @Override
    public void close() {
        pool.shutdown();
        server.close();
        scheduler.shutdownNow();
        if (ticking) {
            CoarseClock.release();
        }
    }
}
