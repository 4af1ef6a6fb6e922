package io.gtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gtcp.testing.Closer;
import io.gtcp.testing.Servers;
import io.gtcp.testing.TestTls;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With no traffic at all, idle connections that the server closed leave the pool within seconds (the spec says
 * about two; the bounds here only detect a pool that never notices), closed as stale, and without counting as
 * failures of the address.
 */
class BackgroundCheckTest {

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() throws Exception {
        closer.close();
    }

    @Test
    void idleConnectionsTheServerClosedLeaveWithoutTraffic() throws IOException {
        serverGoesAwayWhileConnectionsIdle(null, null, Duration.ofSeconds(4));
    }

    @Test
    void idleTlsConnectionsTheServerClosedLeaveWithoutTraffic() throws IOException {
        serverGoesAwayWhileConnectionsIdle(TestTls.server("server.p12"), TestTls.client(), Duration.ofSeconds(6));
    }

    private void serverGoesAwayWhileConnectionsIdle(SSLContext serverTls, SSLContext clientTls, Duration within)
            throws IOException {
        TcpServer server = closer.using(new TcpServer("127.0.0.1:0", Servers.pkgEcho(PkgOption.defaults()),
                serverTls).start());
        RecordingListener events = new RecordingListener();
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().address("127.0.0.1:" + server.port())
                .sslContext(clientTls).listener(events).build());
        List<PoolConn> borrowed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PoolConn conn = pool.get();
            conn.sendRecvPkg(new byte[]{(byte) i});
            borrowed.add(conn);
        }
        borrowed.forEach(PoolConn::close);
        assertThat(pool.stats().idle()).isEqualTo(3);

        server.close();

        await("the idle connections to leave").atMost(within).until(() -> pool.stats().idle() == 0);
        assertThat(events.closed).containsOnly(CloseReason.STALE).hasSize(3);
        assertThat(events.failures).as("failures of the address").isEmpty();
    }
}
