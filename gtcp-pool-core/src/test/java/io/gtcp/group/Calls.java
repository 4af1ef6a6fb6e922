package io.gtcp.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** One request/response exchange through a factory's group, checked, for the group tests. */
final class Calls {

    private static final AtomicLong ids = new AtomicLong();

    private Calls() {
    }

    /** Borrows from the group, exchanges a payload no other call sends, checks the reply; the endpoint used. */
    static String call(PoolConnFactory pool) throws IOException {
        byte[] payload = ("call " + ids.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
        try (PoolConn conn = pool.get()) {
            byte[] reply = conn.sendRecvPkg(payload);
            assertThat(new String(reply, StandardCharsets.UTF_8))
                    .isEqualTo("> " + new String(payload, StandardCharsets.UTF_8));
            return conn.address();
        }
    }
}
