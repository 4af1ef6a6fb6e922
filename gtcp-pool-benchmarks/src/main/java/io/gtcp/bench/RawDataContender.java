package io.gtcp.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * {@code raw} of the outside set-up (issue 19.2, {@code --outside}): a dedicated socket per thread, as there, with
 * {@code DataOutputStream}/{@code DataInputStream} over buffered streams: the 2-byte header and the message written
 * through the buffer and flushed once, the reply's header and body read from the buffer. With {@code timeouts}
 * the socket has {@code SO_TIMEOUT} 5 s; with {@code tls} it is an {@code SSLSocket} ({@link BenchTls#dial}), settled
 * by one exchange before it is measured.
 */
final class RawDataContender implements Contender {

    private final InetSocketAddress server;
    private final boolean timeouts;
    private final boolean tls;

    RawDataContender(InetSocketAddress server, boolean timeouts, boolean tls) {
        this.server = server;
        this.timeouts = timeouts;
        this.tls = tls;
    }

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public Worker newWorker() throws Exception {
        return PooledSocket.worker(server, timeouts, tls, RawDataContender::worker);
    }

    private static Worker worker(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        return new Worker() {
            @Override
            public byte[] exchange(byte[] payload) throws Exception {
                out.writeShort(payload.length);
                out.write(payload);
                out.flush();
                byte[] reply = new byte[in.readUnsignedShort()];
                in.readFully(reply);
                return reply;
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    @Override
    public void close() {
    }
}
