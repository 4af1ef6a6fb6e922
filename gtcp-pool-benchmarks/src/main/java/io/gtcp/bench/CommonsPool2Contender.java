package io.gtcp.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;

/**
 * {@code commons-pool2}: the do-it-yourself pool, as a user writes it: a {@link GenericKeyedObjectPool} keyed by
 * address, holding sockets with their streams, the protocol written by hand with {@code DataInputStream}. The
 * pool's size matches gtcp's (64 per address); everything else is commons-pool2's default (no test on borrow).
 */
final class CommonsPool2Contender implements Contender {

    /** The pooled object: a socket and the streams made for it once. */
    static final class Connection {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 512));
            this.out = socket.getOutputStream();
        }

        byte[] exchange(byte[] payload) throws IOException {
            byte[] frame = new byte[2 + payload.length];
            frame[0] = (byte) (payload.length >>> 8);
            frame[1] = (byte) payload.length;
            System.arraycopy(payload, 0, frame, 2, payload.length);
            out.write(frame);
            byte[] reply = new byte[in.readUnsignedShort()];
            in.readFully(reply);
            return reply;
        }
    }

    /** Dials sockets for the pool and closes them; its validation is the check users write. */
    static final class SocketFactory extends BaseKeyedPooledObjectFactory<InetSocketAddress, Connection> {
        @Override
        public Connection create(InetSocketAddress address) throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 10_000);
            return new Connection(socket);
        }

        @Override
        public PooledObject<Connection> wrap(Connection connection) {
            return new DefaultPooledObject<>(connection);
        }

        @Override
        public boolean validateObject(InetSocketAddress key, PooledObject<Connection> pooled) {
            Socket s = pooled.getObject().socket;
            return s.isConnected() && !s.isClosed() && !s.isInputShutdown() && !s.isOutputShutdown();
        }

        @Override
        public void destroyObject(InetSocketAddress key, PooledObject<Connection> pooled) throws IOException {
            pooled.getObject().socket.close();
        }
    }

    private final InetSocketAddress address;
    private final GenericKeyedObjectPool<InetSocketAddress, Connection> pool;

    CommonsPool2Contender(InetSocketAddress address) {
        this(address, false);
    }

    CommonsPool2Contender(InetSocketAddress address, boolean testOnBorrow) {
        this.address = address;
        GenericKeyedObjectPoolConfig<Connection> config = new GenericKeyedObjectPoolConfig<>();
        config.setMaxTotalPerKey(64);
        config.setMaxIdlePerKey(64);
        config.setTestOnBorrow(testOnBorrow);
        config.setJmxEnabled(false);
        this.pool = new GenericKeyedObjectPool<>(new SocketFactory(), config);
    }

    @Override
    public String name() {
        return "commons-pool2";
    }

    /** Borrows a connection; for the microbenchmark. */
    Connection borrow() throws Exception {
        return pool.borrowObject(address);
    }

    /** Gives a healthy connection back; for the microbenchmark. */
    void giveBack(Connection connection) {
        pool.returnObject(address, connection);
    }

    @Override
    public Worker newWorker() {
        return payload -> {
            Connection c = pool.borrowObject(address);
            byte[] reply;
            try {
                reply = c.exchange(payload);
            } catch (IOException | RuntimeException e) {
                pool.invalidateObject(address, c);
                throw e;
            }
            pool.returnObject(address, c);
            return reply;
        };
    }

    @Override
    public void close() {
        pool.close();
    }
}
