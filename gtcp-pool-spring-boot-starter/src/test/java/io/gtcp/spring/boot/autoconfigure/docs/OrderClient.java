package io.gtcp.spring.boot.autoconfigure.docs;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.io.IOException;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/** The client of the README's five minutes and of the starter's page, as the docs show it. */
// tag::order-client[]
@Service
class OrderClient {
    private final PoolConnFactory pool;

    OrderClient(@Qualifier("orders") PoolConnFactory pool) {   // without a qualifier: the default pool
        this.pool = pool;
    }

    byte[] call(byte[] request) throws IOException {
        try (PoolConn conn = pool.get()) {     // close() gives the connection back
            return conn.sendRecvPkg(request);
        }
    }
}
// end::order-client[]
