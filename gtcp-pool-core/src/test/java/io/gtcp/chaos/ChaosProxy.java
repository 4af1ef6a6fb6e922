package io.gtcp.chaos;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fault-injecting TCP proxy on loopback, for tests: it sits between a client (the pool) and a server, forwards
 * bytes both ways, and on command or at random breaks the replies in the ways of {@link Fault}.
 *
 * <p>It knows nothing of the package protocol: it works on what one read of the server's socket returns, which
 * on loopback is one frame for a server that writes a frame in one call, and it forwards TLS as opaque bytes. Each
 * accepted connection gets two threads of a cached pool, one per direction, with blocking sockets and
 * {@code TCP_NODELAY}, so a reply dripped a byte at a time really arrives a byte at a time.
 *
 * <p>Faults hit the server-to-client direction: the proxy decides, reply by reply, what the client gets (all of
 * it, part of it, twice, slowly, nothing, or a reset). A reply is the first chunk the server sends after a
 * request; anything else it sends passes through as the connection's mode says. On command, {@link #armNextReply} aims a fault at the next
 * reply of every live connection and {@link #closeAll()}/{@link #resetAll()} act at once; at random,
 * {@link #chaos(ChaosPlan)} draws faults with a fixed seed until {@link #calm()}. To let tests prove that the
 * pool never reuses a connection it should have given up on, the proxy counts the connections it accepted from
 * each client port (a port the kernel reuses gets a new "generation") and remembers the ones it desynchronised.
 */
public final class ChaosProxy implements Closeable {

    /** Restarts the server behind the proxy on the same port. */
    @FunctionalInterface
    public interface Restarter {
        void restart() throws IOException;
    }

    private static final int CHUNK_SIZE = 16 * 1024;
    private static final int UPSTREAM_CONNECT_TIMEOUT_MILLIS = 2_000;

    private enum Mode { NORMAL, DRIP, STALLED, BLACK_HOLE }

    private final InetSocketAddress upstream;
    private final Restarter restarter;
    private final ServerSocket listener;
    private final ExecutorService threads;
    private final Set<Pipe> live = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicInteger> acceptsByPort = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> desynced = new ConcurrentHashMap<>();
    private final Map<Fault, LongAdder> injected = new EnumMap<>(Fault.class);
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final AtomicInteger drawnFaults = new AtomicInteger();
    private final ReentrantLock restartLock = new ReentrantLock();
    private final AtomicReference<IOException> restartFailure = new AtomicReference<>();
    private volatile ChaosPlan plan;
    private volatile boolean blackHoleNewConnections;
    private volatile long dripPauseNanos;
    private volatile boolean closed;

    private ChaosProxy(InetSocketAddress upstream, Restarter restarter) throws IOException {
        this.upstream = upstream;
        this.restarter = restarter;
        for (Fault fault : Fault.values()) {
            injected.put(fault, new LongAdder());
        }
        this.listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        AtomicInteger threadIds = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "chaos-proxy-" + listener.getLocalPort() + "-" + threadIds.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::acceptLoop);
    }

    /** A proxy on a free loopback port in front of {@code 127.0.0.1:upstreamPort}; {@code restarter} may be null. */
    public static ChaosProxy start(int upstreamPort, Restarter restarter) throws IOException {
        return new ChaosProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), restarter);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code "127.0.0.1:port"}: the address to give the client. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    // ------------------------------------------------------------------ faults on command

    /** Closes every live connection now with a FIN, both sides. */
    public void closeAll() {
        for (Pipe pipe : live) {
            injected.get(Fault.CLOSE).increment();
            pipe.close();
        }
    }

    /** Resets every live connection now (RST), both sides. */
    public void resetAll() {
        for (Pipe pipe : live) {
            injected.get(Fault.RESET).increment();
            pipe.reset();
        }
    }

    /** Aims {@code fault} at the next reply of every live connection ({@link Fault#RESTART}: restarts now). */
    public void armNextReply(Fault fault) {
        if (fault == Fault.RESTART) {
            restartServer();
            return;
        }
        for (Pipe pipe : live) {
            pipe.arm(fault);
        }
    }

    /** While on, connections are accepted but never connected to the server: nothing ever answers. */
    public void blackHoleNewConnections(boolean on) {
        this.blackHoleNewConnections = on;
    }

    /** The pause between two bytes of a dripped reply; zero (the default) still sends one byte per write. */
    public void dripPause(Duration pause) {
        this.dripPauseNanos = pause.toNanos();
    }

    /** Restarts the server on the same port (one restart at a time: a concurrent call does nothing). */
    public void restartServer() {
        if (restarter == null) {
            throw new IllegalStateException("this proxy has no way to restart its server");
        }
        if (!restartLock.tryLock()) {
            return;
        }
        try {
            injected.get(Fault.RESTART).increment();
            restarter.restart();
        } catch (IOException e) {
            restartFailure.compareAndSet(null, e);
        } finally {
            restartLock.unlock();
        }
    }

    // ------------------------------------------------------------------ faults at random

    /** From now on, every reply may be hit by a fault drawn from {@code plan}. */
    public void chaos(ChaosPlan plan) {
        this.plan = plan;
    }

    /**
     * Stops every fault: no more random ones, none armed, new connections served, stalled replies delivered,
     * dripping connections back to full speed. Connections already black-holed stay silent (their clients are
     * expected to give up on them). Waits for a restart in progress to finish, and fails if a restart failed.
     */
    public void calm() {
        plan = null;
        blackHoleNewConnections = false;
        restartLock.lock();
        restartLock.unlock();
        for (Pipe pipe : live) {
            pipe.cure();
        }
        IOException failure = restartFailure.get();
        if (failure != null) {
            throw new IllegalStateException("the server could not be restarted", failure);
        }
    }

    // ------------------------------------------------------------------ what happened

    /** How many times {@code fault} was injected, on command or at random. */
    public long injected(Fault fault) {
        return injected.get(fault).sum();
    }

    /** Connections open through the proxy right now. */
    public int liveConnections() {
        return live.size();
    }

    /** Live connections that forward replies (fully or dripping) to a connected server. */
    public int healthyConnections() {
        int healthy = 0;
        for (Pipe pipe : live) {
            if (pipe.isHealthy()) {
                healthy++;
            }
        }
        return healthy;
    }

    /** How many connections the proxy has accepted from {@code clientPort}: that port's current generation. */
    public int acceptsFrom(int clientPort) {
        AtomicInteger accepts = acceptsByPort.get(clientPort);
        return accepts == null ? 0 : accepts.get();
    }

    /** The generation of the last connection from {@code clientPort} that got a duplicated reply; 0 if none. */
    public int desyncedGeneration(int clientPort) {
        return desynced.getOrDefault(clientPort, 0);
    }

    // ------------------------------------------------------------------ lifecycle

    /** Stops accepting, closes every connection and waits for the proxy's threads to end. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(listener);
        for (Pipe pipe : live) {
            pipe.close();
        }
        threads.shutdown();
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the proxy's threads did not end: " + live.size() + " live");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ChaosProxy[" + address() + " -> " + upstream.getPort() + ", " + live.size() + " live]";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            int generation = acceptsByPort.computeIfAbsent(client.getPort(), port -> new AtomicInteger())
                    .incrementAndGet();
            Pipe pipe;
            try {
                pipe = new Pipe(connectionIds.incrementAndGet(), client, generation);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            live.add(pipe);
            if (closed) {
                pipe.close(); // close() may have swept the set before this one joined it
                return;
            }
            boolean blackHole = blackHoleNewConnections;
            try {
                threads.execute(() -> pipe.open(blackHole));
            } catch (RejectedExecutionException shuttingDown) {
                pipe.close();
            }
        }
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing in any case
        }
    }

    private static void resetQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException alreadyClosed) {
            // then it is closed already
        }
        closeQuietly(socket);
    }

    private static boolean isReset(IOException e) {
        return e instanceof SocketException && e.getMessage() != null && e.getMessage().contains("reset");
    }

    /** One proxied connection: the client's socket, the server's, and what the proxy does to its replies. */
    private final class Pipe {
        final int id;
        final int generation;
        final int clientPort;
        final Socket client;
        final OutputStream toClient;
        final AtomicBoolean ended = new AtomicBoolean();
        /** Set by each request, cleared by the next chunk from the server: that chunk is the reply. */
        final AtomicBoolean requestPending = new AtomicBoolean();
        volatile Socket server;

        /** Guards everything below and every write to the client. */
        final ReentrantLock lock = new ReentrantLock();
        Mode mode = Mode.NORMAL;
        Fault armed;
        final ByteArrayOutputStream held = new ByteArrayOutputStream();
        ChaosPlan randomPlan;
        SplittableRandom random;

        Pipe(int id, Socket client, int generation) throws IOException {
            this.id = id;
            this.generation = generation;
            this.clientPort = client.getPort();
            this.client = client;
            client.setTcpNoDelay(true);
            this.toClient = client.getOutputStream();
        }

        /** Connects to the server (unless black-holed) and pumps both ways; runs on a proxy thread. */
        void open(boolean blackHole) {
            if (blackHole) {
                lock.lock();
                mode = Mode.BLACK_HOLE;
                lock.unlock();
            } else {
                Socket s = new Socket();
                server = s;
                if (ended.get()) {
                    closeQuietly(s);
                    return;
                }
                try {
                    s.setTcpNoDelay(true);
                    s.connect(upstream, UPSTREAM_CONNECT_TIMEOUT_MILLIS);
                } catch (IOException serverDown) {
                    reset(); // as close as a proxy gets to "connection refused"
                    return;
                }
                try {
                    threads.execute(this::pumpReplies);
                } catch (RejectedExecutionException shuttingDown) {
                    close();
                    return;
                }
            }
            pumpRequests();
        }

        private void pumpRequests() {
            byte[] chunk = new byte[CHUNK_SIZE];
            try {
                InputStream in = client.getInputStream();
                for (;;) {
                    int n = in.read(chunk);
                    if (n < 0) {
                        close();
                        return;
                    }
                    Socket s = server;
                    if (s != null) {
                        requestPending.set(true);
                        s.getOutputStream().write(chunk, 0, n);
                    }
                }
            } catch (IOException e) {
                end(e);
            }
        }

        private void pumpReplies() {
            byte[] chunk = new byte[CHUNK_SIZE];
            try {
                InputStream in = server.getInputStream();
                for (;;) {
                    int n = in.read(chunk);
                    if (n < 0) {
                        close();
                        return;
                    }
                    if (!reply(Arrays.copyOf(chunk, n))) {
                        return;
                    }
                }
            } catch (IOException e) {
                end(e);
            }
        }

        /** Hands one reply chunk to the client, or not; false when that ended the connection. */
        private boolean reply(byte[] chunk) throws IOException {
            Fault fault;
            boolean closeAfter = false;
            lock.lock();
            try {
                fault = nextFault();
                if (fault != null && fault != Fault.RESTART) {
                    injected.get(fault).increment();
                }
                if (fault == null) {
                    deliver(chunk);
                    return true;
                }
                switch (fault) {
                    case CLOSE -> {
                        deliver(chunk);
                        closeAfter = true;
                    }
                    case RESET -> {
                        reset();
                        return false;
                    }
                    case STALL -> {
                        int half = chunk.length / 2;
                        deliver(Arrays.copyOf(chunk, half));
                        mode = Mode.STALLED;
                        held.write(chunk, half, chunk.length - half);
                    }
                    case TRUNCATE -> {
                        deliver(Arrays.copyOf(chunk, chunk.length / 2));
                        closeAfter = true;
                    }
                    case BLACK_HOLE -> mode = Mode.BLACK_HOLE;
                    case DRIP -> {
                        mode = Mode.DRIP;
                        deliver(chunk);
                    }
                    case DUPLICATE -> {
                        desynced.put(clientPort, generation);
                        byte[] twice = Arrays.copyOf(chunk, 2 * chunk.length);
                        System.arraycopy(chunk, 0, twice, chunk.length, chunk.length);
                        toClient.write(twice); // one write: the extra frame arrives with the reply
                    }
                    case RESTART -> {
                        // below, without holding the lock: the restart closes this connection among others
                    }
                }
            } finally {
                lock.unlock();
            }
            if (fault == Fault.RESTART) {
                restartServer();
                close();
                return false;
            }
            if (closeAfter) {
                close();
                return false;
            }
            return true;
        }

        /**
         * The armed fault, else a random one if a plan is on and the connection still answers; under the lock.
         * Only a reply (the first chunk after a request) is hit: what a server sends unasked (a TLS close_notify or
         * session ticket) passes untouched, so that a fault always lands on the call that is waiting for the reply
         * and a test can tell which call a fault was meant for.
         */
        private Fault nextFault() {
            if (!requestPending.getAndSet(false)) {
                return null;
            }
            if (armed != null) {
                Fault fault = armed;
                armed = null;
                return fault;
            }
            ChaosPlan p = plan;
            if (p == null || mode == Mode.STALLED || mode == Mode.BLACK_HOLE) {
                return null;
            }
            if (randomPlan != p) {
                randomPlan = p;
                random = p.randomFor(id);
            }
            return p.draw(random, drawnFaults);
        }

        /** Writes to the client as the mode says; under the lock. */
        private void deliver(byte[] bytes) throws IOException {
            switch (mode) {
                case NORMAL -> toClient.write(bytes);
                case DRIP -> {
                    for (byte b : bytes) {
                        toClient.write(b);
                        long pause = dripPauseNanos;
                        if (pause > 0) {
                            LockSupport.parkNanos(pause); // pacing the fault, not waiting for anyone
                        }
                    }
                }
                case STALLED -> held.write(bytes, 0, bytes.length);
                case BLACK_HOLE -> {
                    // swallowed
                }
            }
        }

        void arm(Fault fault) {
            lock.lock();
            try {
                armed = fault;
            } finally {
                lock.unlock();
            }
        }

        void cure() {
            lock.lock();
            try {
                armed = null;
                if (mode == Mode.STALLED) {
                    mode = Mode.NORMAL;
                    byte[] bytes = held.toByteArray();
                    held.reset();
                    toClient.write(bytes);
                } else if (mode == Mode.DRIP) {
                    mode = Mode.NORMAL;
                }
            } catch (IOException clientGone) {
                close();
            } finally {
                lock.unlock();
            }
        }

        boolean isHealthy() {
            lock.lock();
            try {
                return !ended.get() && server != null && (mode == Mode.NORMAL || mode == Mode.DRIP);
            } finally {
                lock.unlock();
            }
        }

        /** A pump stopped on an error: pass a reset on as a reset, anything else as a close. */
        private void end(IOException e) {
            if (isReset(e)) {
                reset();
            } else {
                close();
            }
        }

        void close() {
            if (ended.compareAndSet(false, true)) {
                live.remove(this);
                closeQuietly(client);
                closeQuietly(server);
            }
        }

        void reset() {
            if (ended.compareAndSet(false, true)) {
                live.remove(this);
                resetQuietly(client);
                resetQuietly(server);
            }
        }
    }
}
