package io.gtcp;

import io.gtcp.testing.TestTls;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gtcp.testing.Bytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link TcpServer#ofPkg(String, PkgHandler, PkgOption, javax.net.ssl.SSLContext)}: the package server over TLS. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TcpServerPkgTlsTest {

    @Test
    void aPackageServerServesOverTls() throws IOException {
        try (TcpServer server = TcpServer.ofPkg("127.0.0.1:0", request -> ascii("> " + new String(request)),
                null, TestTls.server("server.p12")).start();
             Conn conn = Conn.connectTls("127.0.0.1:" + server.port(), TestTls.client())) {
            assertThat(new String(conn.sendRecvPkg(ascii("hi")))).isEqualTo("> hi");
        }
    }

    @Test
    void aNullContextIsPlainTcpAndOptionsApply() throws IOException {
        PkgOption fourBytes = PkgOption.headerSize(4);
        try (TcpServer server = TcpServer.ofPkg("127.0.0.1:0", request -> request, fourBytes, null).start();
             Conn conn = Conn.connect("127.0.0.1:" + server.port())) {
            assertThat(new String(conn.sendRecvPkg(ascii("hi"), fourBytes))).isEqualTo("hi");
        }
    }
}
