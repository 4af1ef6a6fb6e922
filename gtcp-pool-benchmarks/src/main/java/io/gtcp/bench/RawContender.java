package io.gtcp.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/**
 * {@code raw}: one dedicated, already connected socket per thread and the least code that speaks the protocol.
 * No pool, no checks, no bookkeeping: the physical limit of a loopback round trip that every pool is measured
 * against. With {@code timeouts} the socket has {@code SO_TIMEOUT} 5 s, the limit for pools with a read timeout.
 * With {@code tls} it is an {@code SSLSocket} ({@link BenchTls#dial}), settled by one exchange before it is
 * measured. With {@code dataStreams} it speaks as the outside set-up's raw client does (issue 19.2,
 * {@code --outside}): {@code DataOutputStream}/{@code DataInputStream} over buffered streams, the 2-byte header and
 * the message written through the buffer and flushed once, the reply's header and body read from the buffer.
 */
final class RawContender implements Contender {

    private final InetSocketAddress server;
    private final boolean timeouts;
    private final boolean tls;
    private final boolean dataStreams;

    RawContender(InetSocketAddress server, boolean timeouts, boolean tls, boolean dataStreams) {
        this.server = server;
        this.timeouts = timeouts;
        this.tls = tls;
        this.dataStreams = dataStreams;
    }

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public Worker newWorker() throws Exception {
        return PooledSocket.worker(server, timeouts, tls,
                dataStreams ? RawContender::dataWorker : RawContender::worker);
    }

    private static Worker dataWorker(Socket socket) throws IOException {
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

    private static Worker worker(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buf = new byte[2 + 65535];
        return new Worker() {
            @Override
            public byte[] exchange(byte[] payload) throws Exception {
                byte[] frame = new byte[2 + payload.length];
                frame[0] = (byte) (payload.length >>> 8);
                frame[1] = (byte) payload.length;
                System.arraycopy(payload, 0, frame, 2, payload.length);
                out.write(frame);
                int got = 0;
                int need = 2;
                while (got < need) {
                    int n = in.read(buf, got, buf.length - got);
                    if (n < 0) {
                        throw new EOFException("server closed the connection");
                    }
                    got += n;
                    if (need == 2 && got >= 2) {
                        need = 2 + (((buf[0] & 0xFF) << 8) | (buf[1] & 0xFF));
                    }
                }
                return Arrays.copyOfRange(buf, 2, need);
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
