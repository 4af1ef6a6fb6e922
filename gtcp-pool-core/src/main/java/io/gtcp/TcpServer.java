package io.gtcp;

import io.gtcp.internal.io.Addresses;
import io.gtcp.internal.io.Link;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gtcp's server: accepts connections and runs a {@link ConnHandler} for each on a thread of its own.
 *
 * <p>{@link #start()} binds and returns once the server is listening (accepting on a daemon thread);
 * {@link #run()} does the same in the calling thread and blocks until {@link #close()}. A handler that throws is
 * logged (WARN, with the stack) and its connection closed; other connections go on. A handler that ends with an
 * end of stream met between two messages ({@code recvPkg}, {@code recv(0)}, {@code recv(-1)} before any byte of
 * the next one) is logged at DEBUG only: the client simply closed, as every idle-expired pooled connection does. Unlike gtcp (its issue 1430), {@code close()}
 * also closes the live connections, so no handler outlives the server. {@link #maxConnections(int)} caps the
 * connections served at once: the excess are accepted and closed at once, so their clients promptly see an end
 * of stream (or a reset, if their request reached the closed socket first) instead of hanging in the backlog.
 */
public final class TcpServer implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);

    private final String address;
    private final ConnHandler handler;
    private final SSLContext tls;
    private final Set<Conn> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ServerSocketChannel listener;
    private volatile boolean closed;
    private volatile int port = -1;
    private volatile int maxConnections = Integer.MAX_VALUE;
    /** Makes each connection's handler thread; null: a daemon platform thread named gtcp-conn-port-n. */
    private volatile ThreadFactory threadFactory;
    private final AtomicLong acceptedCount = new AtomicLong();
    private boolean accepting;

    /** A plain TCP server on {@code address} ({@code ":0"} or {@code "127.0.0.1:0"}: a free port). */
    public TcpServer(String address, ConnHandler handler) {
        this(address, handler, null);
    }

    /** A TLS server on {@code address}; {@code tls} null means plain TCP. */
    public TcpServer(String address, ConnHandler handler, SSLContext tls) {
        this.address = Addresses.validate(address);
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        this.handler = handler;
        this.tls = tls;
    }

    /** Caps the connections served at once (default: no cap); the excess are closed right after accept. */
    public TcpServer maxConnections(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + max);
        }
        this.maxConnections = max;
        return this;
    }

    /**
     * Where each connection's handler runs: a thread made by {@code factory} (for instance virtual threads,
     * {@code Thread.ofVirtual().factory()} on Java 21+) instead of a daemon platform thread of its own. Set it
     * before {@link #start()}; a factory that fails or gives no thread drops that connection, as a JVM out of
     * threads does.
     */
    public TcpServer threadFactory(ThreadFactory factory) {
        if (factory == null) {
            throw new IllegalArgumentException("threadFactory must not be null");
        }
        this.threadFactory = factory;
        return this;
    }

    /** Binds and starts accepting on a daemon thread; listening when it returns. */
    public TcpServer start() throws IOException {
        if (!claimAcceptLoop()) {
            return this;
        }
        Thread acceptor = new Thread(this::acceptLoop, "gtcp-server-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    /** Binds (unless started) and accepts in the calling thread until {@link #close()}. */
    public void run() throws IOException {
        if (claimAcceptLoop()) {
            acceptLoop();
            return;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running the server");
        }
    }

    /** Binds if needed; true when the caller is to run the accept loop. */
    private boolean claimAcceptLoop() throws IOException {
        lifecycle.lock();
        try {
            if (closed) {
                throw new IOException("server closed");
            }
            if (listener == null) {
                ServerSocketChannel channel = ServerSocketChannel.open();
                try {
                    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    channel.bind(Addresses.bindable(address), 1024);
                } catch (IOException e) {
                    channel.close();
                    throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
                }
                port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
                listener = channel;
            }
            if (accepting) {
                return false;
            }
            accepting = true;
            return true;
        } finally {
            lifecycle.unlock();
        }
    }

    private void acceptLoop() {
        ServerSocketChannel channel = listener;
        try {
            while (!closed) {
                SocketChannel accepted;
                try {
                    accepted = channel.accept();
                } catch (ClosedChannelException e) {
                    break;
                } catch (IOException e) {
                    if (closed) {
                        break;
                    }
                    log.warn("accept failed on port {}: {}", port, e.toString());
                    backOff(); // e.g. out of file descriptors: do not spin on it
                    continue;
                }
                if (live.size() >= maxConnections) {
                    log.debug("refusing a connection on port {}: {} connections already", port, maxConnections);
                    accepted.close();
                    continue;
                }
                serve(accepted);
            }
        } catch (IOException e) {
            log.warn("server on port {} stopped: {}", port, e.toString());
        } finally {
            stopped.countDown();
        }
    }

    private void serve(SocketChannel accepted) throws IOException {
        Conn conn;
        try {
            conn = new Conn(Link.accepted(accepted, tls));
        } catch (IOException e) {
            log.debug("dropping a connection on port {}: {}", port, e.toString());
            return;
        }
        live.add(conn);
        acceptedCount.incrementAndGet();
        if (closed) { // close() may have swept the set before this connection joined it
            closeQuietly(conn);
            return;
        }
        try {
            Runnable work = () -> handle(conn);
            ThreadFactory factory = threadFactory;
            Thread worker;
            if (factory == null) {
                worker = new Thread(work, "gtcp-conn-" + port + "-" + connectionIds.incrementAndGet());
                worker.setDaemon(true);
            } else {
                worker = factory.newThread(work);
                if (worker == null) {
                    throw new IllegalStateException("the thread factory gave no thread");
                }
            }
            worker.start();
        } catch (OutOfMemoryError | RuntimeException noThread) {
            // no thread for it: drop this connection, keep accepting the others
            live.remove(conn);
            closeQuietly(conn);
            log.warn("cannot start a handler thread on port {}: {}", port, noThread.toString());
        }
    }

    private void backOff() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(Conn conn) {
        try {
            handler.handle(conn);
        } catch (Exception e) {
            if (closed) {
                log.debug("handler of {} ended as the server closed: {}", conn, e.toString());
            } else if (e instanceof java.io.EOFException && conn.endedBetweenMessages) {
                // the client closed between two requests: what every pooled connection does when it expires
                log.debug("client of {} closed the connection", conn);
            } else {
                log.warn("handler of {} failed; closing that connection", conn, e);
            }
        } finally {
            live.remove(conn);
            closeQuietly(conn);
        }
    }

    /** The port listened on; -1 before listening. */
    public int port() {
        return port;
    }

    /** How many connections are being served right now. */
    public int connectionCount() {
        return live.size();
    }

    /** How many connections were taken into service so far (not those refused over {@link #maxConnections}). */
    public long acceptedCount() {
        return acceptedCount.get();
    }

    /** Stops accepting and closes every live connection. Idempotent. */
    @Override
    public void close() {
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (listener != null) {
                closeQuietly(listener);
            } else {
                stopped.countDown();
            }
        } finally {
            lifecycle.unlock();
        }
        for (Conn conn : live) {
            closeQuietly(conn);
        }
        awaitAcceptLoopEnd();
    }

    /**
     * A channel closed while another thread is blocked accepting on it is released only once that thread
     * leaves accept; waiting for it means the port is free when close() returns, so a restart can bind it.
     */
    private void awaitAcceptLoopEnd() {
        if (!accepting || Thread.currentThread().getName().equals("gtcp-server-" + port)) {
            return;
        }
        try {
            stopped.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TcpServer[" + address + ", port " + port + (tls != null ? ", tls" : "") + "]";
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // closing: nothing more to do
        }
    }
}
