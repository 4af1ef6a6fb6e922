package io.gtcp;

import io.gtcp.internal.io.Addresses;
import io.gtcp.internal.io.Deadlines;
import io.gtcp.internal.io.Link;
import io.gtcp.internal.server.LiveConnections;
import io.gtcp.internal.server.MessageGate;
import io.gtcp.internal.server.PkgLoop;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>{@link #shutdown(Duration)} stops a server without failing its clients' requests: the listening socket
 * closes at once (new dials are refused, so a pool fails over to another server), and each connection closes as
 * soon as it is between two messages: at once if its handler waits for a next message of which no byte has
 * arrived, else right after the reply to the message it is serving. "Between two messages" is a receive that
 * follows a send (or is the connection's first); a handler that receives and never replies is closed when the
 * grace ends. {@link #ofPkg} is the common request → reply server of the package protocol without the loop.
 */
public final class TcpServer implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);

    private final String address;
    private final ConnHandler handler;
    private final SSLContext tls;
    private final LiveConnections live = new LiveConnections();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Counted down when {@link #close()} has closed every connection: the end of a graceful shutdown too. */
    private final CountDownLatch down = new CountDownLatch(1);
    private volatile ServerSocketChannel listener;
    private volatile boolean closed;
    private volatile boolean shuttingDown;
    private volatile ThreadFactory handlerThreads;
    private volatile int port = -1;
    private volatile int maxConnections = Integer.MAX_VALUE;
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

    /**
     * A server of the package protocol: each connection runs {@code recvPkg → handler → sendPkg} in a loop with
     * {@code option} (default: gtcp's 2-byte header) until its client closes. Not started: call {@link #start()}
     * or {@link #run()}.
     */
    public static TcpServer ofPkg(String address, PkgHandler handler, PkgOption... option) {
        PkgOption o = option != null && option.length > 0 && option[0] != null ? option[0] : PkgOption.defaults();
        return new TcpServer(address, new PkgLoop(handler, o));
    }

    /**
     * {@link #ofPkg(String, PkgHandler, PkgOption...)} over TLS: {@code option} null means gtcp's 2-byte header,
     * {@code tls} null means plain TCP.
     */
    public static TcpServer ofPkg(String address, PkgHandler handler, PkgOption option, SSLContext tls) {
        return new TcpServer(address, new PkgLoop(handler, option != null ? option : PkgOption.defaults()), tls);
    }

    /**
     * The threads that run the handlers, one per connection (default: a platform daemon thread each); for
     * example virtual threads, {@code Thread.ofVirtual().name("gtcp-conn-", 0).factory()} on Java 21+.
     */
    public TcpServer handlerThreads(ThreadFactory threads) {
        if (threads == null) {
            throw new IllegalArgumentException("handlerThreads must not be null");
        }
        this.handlerThreads = threads;
        return this;
    }

    /** Caps the connections served at once (default: no cap); the excess are closed right after accept. */
    public TcpServer maxConnections(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + max);
        }
        this.maxConnections = max;
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

    /**
     * Binds (unless started) and accepts in the calling thread until {@link #close()}. After
     * {@link #shutdown(Duration)} it returns once the drain has ended and every connection is closed, not when the
     * listening socket closes: a {@code main} that runs the server and then exits cuts no reply short.
     */
    public void run() throws IOException {
        try {
            if (claimAcceptLoop()) {
                acceptLoop();
            } else {
                stopped.await();
            }
            if (shuttingDown) {
                down.await(); // a shutdown always ends with close()
            }
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
            Link link = Link.accepted(accepted, tls);
            MessageGate gate = live.gate(link);
            conn = new Conn(link, gate);
            if (!live.add(conn, gate) || closed) { // a shutdown may have swept the set before it joined
                live.remove(conn);
                closeQuietly(conn);
                return;
            }
        } catch (IOException e) {
            log.debug("dropping a connection on port {}: {}", port, e.toString());
            return;
        }
        try {
            Thread worker = newHandlerThread(() -> handle(conn));
            worker.start();
        } catch (OutOfMemoryError | RuntimeException noThread) {
            // no thread for it: drop this connection, keep accepting the others
            live.remove(conn);
            closeQuietly(conn);
            log.warn("cannot start a handler thread on port {}: {}", port, noThread.toString());
        }
    }

    private Thread newHandlerThread(Runnable task) {
        ThreadFactory threads = handlerThreads;
        if (threads != null) {
            Thread thread = threads.newThread(task);
            if (thread == null) {
                throw new IllegalStateException("the handler thread factory made no thread");
            }
            return thread;
        }
        Thread worker = new Thread(task, "gtcp-conn-" + port + "-" + connectionIds.incrementAndGet());
        worker.setDaemon(true);
        return worker;
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
            if (closed || shuttingDown) {
                log.debug("handler of {} ended as the server stopped: {}", conn, e.toString());
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

    /** How many connections were accepted and served over the server's life (not those refused at the cap). */
    public long acceptedCount() {
        return live.admitted();
    }

    /** Whether the server is listening: started (or running) and neither shutting down nor closed. */
    public boolean isListening() {
        return listener != null && !closed && !shuttingDown;
    }

    /** Whether {@link #shutdown(Duration)} has begun (it stays true once the server is down). */
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * Stops the server gracefully: the listening socket closes at once; each connection closes as soon as it is
     * between two messages (an idle one at once, a busy one right after its reply); whatever is left when
     * {@code grace} has passed is closed as {@link #close()} does. Returns when every connection is closed. A
     * zero grace drains what is idle and closes the rest at once. Calling it again, or after close, is harmless.
     */
    public void shutdown(Duration grace) {
        long graceNanos = Deadlines.nanos(requireGrace(grace), "grace");
        long deadline = graceNanos == 0 ? System.nanoTime() : Deadlines.after(System.nanoTime(), graceNanos);
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            shuttingDown = true;
            if (listener != null) {
                closeQuietly(listener); // refuses new dials at once: clients fail over to other servers
            }
        } finally {
            lifecycle.unlock();
        }
        awaitAcceptLoopEnd();
        live.drain();
        boolean drained = false;
        try {
            drained = live.awaitEmpty(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!drained) {
            log.info("server on port {}: {} connections still busy after the grace of {}; closing them",
                    port, live.size(), grace);
        }
        close();
    }

    private static Duration requireGrace(Duration grace) {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("grace must be zero or positive: " + grace);
        }
        return grace;
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
        live.closeAll();
        awaitAcceptLoopEnd();
        down.countDown();
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
