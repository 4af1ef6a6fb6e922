package io.gtcp.sample;

import io.gtcp.Conn;
import io.gtcp.ConnHandler;
import io.gtcp.TcpServer;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.context.SmartLifecycle;

/**
 * The server of gtcp's documentation examples: one {@link TcpServer} per address of
 * {@link SampleProperties#serverAddresses()} (127.0.0.1; for example 3 also 127.0.0.2 and 127.0.0.3), whose life
 * Spring runs: they listen when the context starts, before the {@link SampleClient} starts, and close, with their
 * live connections, after the client stops. In the {@code client} role it starts nothing: the role is read here,
 * at run time, not in a bean condition, so that an AOT-processed build serves every role.
 *
 * <p>Example 1 (and each server of example 3) echoes {@code "> " + data} for every message of a connection until the
 * client closes it, so a pooled connection serves exchange after exchange. Example 2 replies once and closes the
 * connection, which is what makes a pooled connection stale. {@link #stop(String)} and {@link #restart(String)} let
 * example 3's {@link SampleOutage} take one address away and bring it back on the same port. Example 4's servers
 * speak the package protocol ({@link TcpServer#ofPkg}, {@code "> " + request}), and {@link SampleRollingRestart}
 * {@linkplain #shutdown(String, Duration) shuts each down gracefully} and restarts it in turn.
 */
public final class SampleServer implements SmartLifecycle {

    /** Before the client ({@link SampleClient#PHASE}): listening before the first exchange, closed after the last. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private static final byte[] PROMPT = {'>', ' '};

    private final int example;
    private final List<String> addresses;
    private final boolean enabled;
    private final boolean announce;
    /** The servers listening now, by address; written under {@link #lifecycle}. */
    private final Map<String, TcpServer> servers = new ConcurrentHashMap<>();
    /** Orders Spring's start/stop against the outage's stop/restart, which run on the client's thread. */
    private final ReentrantLock lifecycle = new ReentrantLock();
    private volatile boolean running;

    SampleServer(SampleProperties properties) {
        this.example = properties.getExample();
        this.addresses = properties.serverAddresses();
        // example 5's server is the starter's (gtcp.server.address, the sample's PkgHandler bean)
        this.enabled = properties.getRole().runsServer() && properties.getExample() != 5;
        // alone, the server prints nothing else, and its clients elsewhere need the port
        this.announce = !properties.getRole().runsClient() && properties.getExample() != 5;
    }

    @Override
    public void start() {
        if (!enabled) {
            return;
        }
        lifecycle.lock();
        try {
            running = true;
            for (String address : addresses) {
                TcpServer started = listen(address);
                if (announce) {
                    System.out.println("example " + example + " listening on " + hostOf(address) + ":"
                            + started.port());
                }
            }
        } catch (RuntimeException e) {
            closeAll(); // one address that cannot listen fails the start: no half-started group stays behind
            throw e;
        } finally {
            lifecycle.unlock();
        }
    }

    @Override
    public void stop() {
        lifecycle.lock();
        try {
            closeAll();
        } finally {
            lifecycle.unlock();
        }
    }

    private void closeAll() {
        running = false;
        servers.values().forEach(TcpServer::close);
        servers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The port listened on (the same on every address); -1 when not running. */
    public int port() {
        return servers.values().stream().mapToInt(TcpServer::port).findFirst().orElse(-1);
    }

    /** The addresses this server listens on when running, {@code host:port} as configured. */
    List<String> addresses() {
        return addresses;
    }

    /** Closes the server on {@code address} and its live connections; the others go on. */
    void stop(String address) {
        lifecycle.lock();
        try {
            TcpServer server = servers.remove(address);
            if (server != null) {
                server.close();
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /** Listens on {@code address} again, on the same port, unless the whole server has stopped meanwhile. */
    void restart(String address) {
        lifecycle.lock();
        try {
            if (running && !servers.containsKey(address)) {
                listen(address);
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Example 4: stops the server on {@code address} gracefully ({@link TcpServer#shutdown(Duration)}): no new
     * connection, each live one closed between two messages; returns when every connection is closed.
     */
    void shutdown(String address, Duration grace) {
        TcpServer server;
        lifecycle.lock();
        try {
            server = servers.remove(address);
        } finally {
            lifecycle.unlock();
        }
        if (server != null) {
            server.shutdown(grace); // outside the lock: Spring's stop need not wait for the grace
        }
    }

    private TcpServer listen(String address) {
        ConnHandler handler = example == 2 ? SampleServer::replyOnceThenClose : SampleServer::echoEveryMessage;
        TcpServer server = example == 4 ? TcpServer.ofPkg(address, SampleServer::reply)
                : new TcpServer(address, handler);
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("the sample server cannot start: " + e.getMessage(), e);
        }
        servers.put(address, server);
        return server;
    }

    private static String hostOf(String address) {
        return address.substring(0, address.lastIndexOf(':'));
    }

    /** Example 1: an echo server; the loop ends when the client closes the connection. */
    static void echoEveryMessage(Conn conn) throws IOException {
        try {
            while (true) {
                conn.send(reply(conn.recv(-1)));
            }
        } catch (EOFException closedByClient) {
            // gtcp's loop ends on the read error too; TcpServer closes the connection
        }
    }

    /** Example 2: one reply, then TcpServer closes the connection as the handler returns. */
    static void replyOnceThenClose(Conn conn) throws IOException {
        try {
            conn.send(reply(conn.recv(-1)));
        } catch (EOFException closedByClient) {
            // nothing to reply to
        }
    }

    private static byte[] reply(byte[] data) {
        byte[] reply = new byte[PROMPT.length + data.length];
        System.arraycopy(PROMPT, 0, reply, 0, PROMPT.length);
        System.arraycopy(data, 0, reply, PROMPT.length, data.length);
        return reply;
    }
}
