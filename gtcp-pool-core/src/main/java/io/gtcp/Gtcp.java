package io.gtcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * gtcp's one-shot helpers: dial with the default connect timeout, do one exchange, close. The
 * {@code WithTimeout} variants apply their timeout to the exchange, as Go does; the dial keeps its own 30 s.
 */
public final class Gtcp {

    private Gtcp() {
    }

    public static void send(String address, byte[] data, Retry... retry) throws IOException {
        try (Conn conn = Conn.connect(address)) {
            conn.send(data, retry);
        }
    }

    public static void sendWithTimeout(String address, byte[] data, Duration timeout, Retry... retry)
            throws IOException {
        try (Conn conn = Conn.connect(address)) {
            conn.sendWithTimeout(data, timeout, retry);
        }
    }

    public static byte[] sendRecv(String address, byte[] data, int receive, Retry... retry) throws IOException {
        try (Conn conn = Conn.connect(address)) {
            return conn.sendRecv(data, receive, retry);
        }
    }

    public static byte[] sendRecvWithTimeout(String address, byte[] data, int receive, Duration timeout,
                                             Retry... retry) throws IOException {
        try (Conn conn = Conn.connect(address)) {
            return conn.sendRecvWithTimeout(data, receive, timeout, retry);
        }
    }

    public static void sendPkg(String address, byte[] data, PkgOption... option) throws IOException {
        try (Conn conn = Conn.connect(address)) {
            conn.sendPkg(data, option);
        }
    }

    public static void sendPkgWithTimeout(String address, byte[] data, Duration timeout, PkgOption... option)
            throws IOException {
        try (Conn conn = Conn.connect(address)) {
            conn.sendPkgWithTimeout(data, timeout, option);
        }
    }

    public static byte[] sendRecvPkg(String address, byte[] data, PkgOption... option) throws IOException {
        try (Conn conn = Conn.connect(address)) {
            return conn.sendRecvPkg(data, option);
        }
    }

    public static byte[] sendRecvPkgWithTimeout(String address, byte[] data, Duration timeout,
                                                PkgOption... option) throws IOException {
        try (Conn conn = Conn.connect(address)) {
            return conn.sendRecvPkgWithTimeout(data, timeout, option);
        }
    }

    /** A TCP port free on this machine right now (the OS picks it; another process may take it later). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** {@code count} distinct free ports. */
    public static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket();
                sockets[i].bind(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
