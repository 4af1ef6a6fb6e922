package io.gtcp.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Gives the microbenchmarks (another package) access to the commons-pool2 contender's pool. */
public final class PoolProbe {

    private PoolProbe() {
    }

    public static CommonsPool commonsPool(int port, boolean testOnBorrow) {
        return new CommonsPool(new CommonsPool2Contender("commons-pool2",
                List.of(new InetSocketAddress("127.0.0.1", port)), 64, testOnBorrow, false, false));
    }

    /** The commons-pool2 contender's pool, borrowed from and returned to without I/O. */
    public static final class CommonsPool {
        private final CommonsPool2Contender contender;

        CommonsPool(CommonsPool2Contender contender) {
            this.contender = contender;
        }

        /** Borrows {@code n} connections at once and returns them: {@code n} idle connections. */
        public void prefill(int n) throws Exception {
            List<PooledSocket> held = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                held.add(contender.borrow());
            }
            held.forEach(contender::giveBack);
        }

        public void borrowAndReturn() throws Exception {
            contender.giveBack(contender.borrow());
        }

        public void close() {
            contender.close();
        }
    }
}
