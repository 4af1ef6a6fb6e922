package io.gtcp.chaos;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.Conn;
import io.gtcp.PkgOption;
import io.gtcp.TcpServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server restarted on the same port, as the chaos proxy's restart fault does: the port must be free as soon as
 * {@link TcpServer#close()} returns, or the restart fails with "Address already in use".
 */
@Timeout(value = 30, unit = SECONDS)
class ServerRestartTest {

    @Test
    void portIsFreeAsSoonAsCloseReturns() throws IOException {
        TcpServer server = new TcpServer("127.0.0.1:0", ServerRestartTest::echo).start();
        int port = server.port();
        try {
            for (int restart = 0; restart < 20; restart++) {
                server.close();
                server = new TcpServer("127.0.0.1:" + port, ServerRestartTest::echo).start();
                try (Conn conn = Conn.connect("127.0.0.1:" + port)) {
                    byte[] ping = ("ping " + restart).getBytes(StandardCharsets.UTF_8);
                    assertThat(conn.sendRecvPkgWithTimeout(ping, java.time.Duration.ofSeconds(5), PkgOption.defaults()))
                            .isEqualTo(EchoServer.reply(ping));
                }
            }
        } finally {
            server.close();
        }
    }

    private static void echo(Conn conn) {
        try {
            for (;;) {
                conn.sendPkg(EchoServer.reply(conn.recvPkg()));
            }
        } catch (IOException clientLeft) {
            // done
        }
    }
}
