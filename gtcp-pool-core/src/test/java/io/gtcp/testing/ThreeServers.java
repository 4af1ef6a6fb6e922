package io.gtcp.testing;

import io.gtcp.Conn;
import io.gtcp.TcpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;

/**
 * Three package-protocol echo servers ({@code "> " + payload}) on 127.0.0.1, 127.0.0.2 and 127.0.0.3, all on one
 * port, so that a host name can resolve to all three, as a service's DNS name does. Each can be stopped and
 * started again on its address (a killed and restarted instance), slowed down (a sleep before each reply paces a
 * scripted slow server), and counts the frames it answered, so tests see where traffic went from the servers'
 * side.
 */
public final class ThreeServers implements AutoCloseable {

    public static final List<String> IPS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");

    private final SSLContext tls;
    private int port;
    private final Instance[] instances = new Instance[IPS.size()];

    private ThreeServers(SSLContext tls) throws IOException {
        this.tls = tls;
        IOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) { // another process may hold the port on .2 or .3
            for (int i = 0; i < instances.length; i++) {
                instances[i] = new Instance(IPS.get(i));
            }
            try {
                instances[0].start(0);
                for (int i = 1; i < instances.length; i++) {
                    instances[i].start(instances[0].port);
                }
                this.port = instances[0].port;
                return;
            } catch (IOException taken) {
                last = taken;
                close();
            }
        }
        throw last;
    }

    /** Three plain TCP servers. */
    public static ThreeServers plain() throws IOException {
        return new ThreeServers(null);
    }

    /** Three TLS servers presenting {@code tls}'s key. */
    public static ThreeServers tls(SSLContext tls) throws IOException {
        return new ThreeServers(tls);
    }

    public int port() {
        return port;
    }

    /** {@code "127.0.0.<i+1>:port"}. */
    public String address(int i) {
        return IPS.get(i) + ":" + port;
    }

    public List<String> addresses() {
        return List.of(address(0), address(1), address(2));
    }

    public InetAddress ip(int i) {
        try {
            return InetAddress.getByName(IPS.get(i)); // a literal: no name service
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Frames server {@code i} has answered so far (across restarts). */
    public int served(int i) {
        return instances[i].served.get();
    }

    /** Connections server {@code i} is serving right now (0 while it is stopped). */
    public int connections(int i) {
        TcpServer s = instances[i].server;
        return s == null ? 0 : s.connectionCount();
    }

    /** Stops server {@code i}: its port refuses connections and its live connections close. */
    public void stop(int i) {
        instances[i].stop();
    }

    /** Starts server {@code i} again on its address. */
    public void restart(int i) throws IOException {
        instances[i].start(port);
    }

    /** Makes server {@code i} wait this long before each reply. */
    public void slow(int i, long millisPerReply) {
        instances[i].delayMillis = millisPerReply;
    }

    @Override
    public void close() {
        for (Instance instance : instances) {
            if (instance != null) {
                instance.stop();
            }
        }
    }

    private final class Instance {
        final String ip;
        final AtomicInteger served = new AtomicInteger();
        final ReentrantLock lifecycle = new ReentrantLock();
        volatile TcpServer server;
        volatile long delayMillis;
        int port;

        Instance(String ip) {
            this.ip = ip;
        }

        void start(int onPort) throws IOException {
            lifecycle.lock();
            try {
                if (server == null) {
                    server = new TcpServer(ip + ":" + onPort, this::echo, tls).start();
                    port = server.port();
                }
            } finally {
                lifecycle.unlock();
            }
        }

        void stop() {
            lifecycle.lock();
            try {
                if (server != null) {
                    server.close();
                    server = null;
                }
            } finally {
                lifecycle.unlock();
            }
        }

        private void echo(Conn conn) throws InterruptedException {
            try {
                for (;;) {
                    byte[] request = conn.recvPkg();
                    long delay = delayMillis;
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    byte[] reply = new byte[request.length + 2];
                    reply[0] = '>';
                    reply[1] = ' ';
                    System.arraycopy(request, 0, reply, 2, request.length);
                    served.incrementAndGet(); // before the reply, so a caller that got it sees the count
                    conn.sendPkg(reply);
                }
            } catch (IOException clientGoneOrServerStopped) {
                // the connection ends here; TcpServer closes it
            }
        }
    }
}
