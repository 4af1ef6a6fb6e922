package io.gtcp.testing;

import io.gtcp.ConnHandler;
import io.gtcp.PkgOption;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;

/**
 * Handlers for {@link io.gtcp.TcpServer} used across the tests: gtcp's own test servers (an echo, a package
 * echo, the {@code "> " + data} server of gtcp's documentation), each running until the client closes.
 */
public final class Servers {

    private Servers() {
    }

    /** Echoes whatever one read returns, until end of stream. */
    public static ConnHandler echo() {
        return conn -> {
            try {
                for (;;) {
                    conn.send(conn.recv(0));
                }
            } catch (EOFException clientClosed) {
                // the client is done
            }
        };
    }

    /** Echoes every frame back as a frame, until end of stream. */
    public static ConnHandler pkgEcho(PkgOption option) {
        return conn -> {
            try {
                for (;;) {
                    conn.sendPkg(conn.recvPkg(option), option);
                }
            } catch (EOFException clientClosed) {
                // the client is done
            }
        };
    }

    /** Blocks a handler until its client closes (or sends a byte), so that the connection outlives the test's use. */
    public static void untilClientCloses(io.gtcp.Conn conn) throws java.io.IOException {
        try {
            conn.recv(1);
        } catch (EOFException clientClosed) {
            // the client is done
        }
    }

    /** The server of gtcp's documentation: answers every line with {@code "> " + line + "\n"}. */
    public static ConnHandler prefixLines() {
        return conn -> {
            try {
                for (;;) {
                    byte[] line = conn.recvLine();
                    conn.send(("> " + new String(line, StandardCharsets.UTF_8) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            } catch (EOFException clientClosed) {
                // the client is done
            }
        };
    }
}
