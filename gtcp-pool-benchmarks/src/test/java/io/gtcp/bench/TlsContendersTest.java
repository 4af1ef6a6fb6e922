package io.gtcp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each contender of {@code --tls}, in both configurations, against its own TLS echo server: a few hundred
 * exchanges with distinct payloads, every reply checked byte for byte, and the server's record of what that
 * contender's connections negotiated, which must be TLS 1.3 and nothing else. A server of its own per contender
 * is what makes the record that contender's: the harness shares one server among them.
 */
class TlsContendersTest {

    private static final int EXCHANGES_PER_WORKER = 150;

    static Stream<Arguments> contenders() {
        List<Arguments> list = new ArrayList<>();
        for (boolean timeouts : new boolean[] {false, true}) {
            for (String name : List.of("raw", "gtcp", "commons-pool2", "commons-pool2-tob")) {
                list.add(Arguments.of(name, timeouts, false));
            }
            list.add(Arguments.of("raw", timeouts, true)); // the outside set-up's raw and server
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}, timeouts {1}, outside {2}")
    @MethodSource("contenders")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void completesCorrectEchoesOverTls13(String name, boolean timeouts, boolean outside) throws Exception {
        try (EchoServer server = EchoServer.startTls(InetAddress.getLoopbackAddress(), outside);
             Contender contender = Contenders.open(name, List.of(server), 4, timeouts, outside, true)) {
            Contender.Worker first = contender.newWorker();
            Contender.Worker second = contender.newWorker();
            try {
                for (int i = 0; i < EXCHANGES_PER_WORKER; i++) {
                    for (Contender.Worker worker : List.of(first, second)) {
                        byte[] payload = (name + " exchange " + i + " of " + worker.hashCode())
                                .getBytes(StandardCharsets.US_ASCII);
                        byte[] expected = new byte[EchoServer.PREFIX.length + payload.length];
                        System.arraycopy(EchoServer.PREFIX, 0, expected, 0, EchoServer.PREFIX.length);
                        System.arraycopy(payload, 0, expected, EchoServer.PREFIX.length, payload.length);

                        assertThat(worker.exchange(payload)).as("reply %d of %s", i, name).isEqualTo(expected);
                    }
                }
            } finally {
                first.close();
                second.close();
            }

            assertThat(server.negotiated()).as("what %s's connections negotiated", name).singleElement().asString()
                    .startsWith(BenchTls.PROTOCOL + " TLS_");
        }
    }
}
