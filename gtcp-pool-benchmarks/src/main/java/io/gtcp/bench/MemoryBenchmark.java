package io.gtcp.bench;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.management.ObjectName;

/**
 * Heap per idle connection: {@code N} idle connections in a gtcp pool against {@code N} bare connected
 * {@link SocketChannel}s (what the pool holds underneath) and {@code N} bare {@link Socket}s. The live heap is
 * read from a class histogram (which collects garbage first) before and after each set is opened, so that the
 * difference is what the set keeps alive; the histogram's difference by class shows where the pool's own bytes go.
 * The server is a selector that only accepts and discards, so that its side costs every phase the same.
 */
public final class MemoryBenchmark {

    private MemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int connections = 2000;
        for (String a : args) {
            if (a.startsWith("--connections=")) {
                connections = Integer.parseInt(a.substring("--connections=".length()));
            }
        }
        int n = connections;
        BenchMain.printMachine();
        try (SinkServer server = SinkServer.start()) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
            String hostPort = "127.0.0.1:" + server.port();
            // one throwaway pass of each, so that class loading and JIT data do not count against the first
            int few = Math.max(1, n / 10);
            measure("warm-up", few, server, () -> bareChannels(address, few), null);
            measure("warm-up", few, server, () -> pool(hostPort, few), null);

            Map<String, Long> channels = new HashMap<>();
            Map<String, Long> pooled = new HashMap<>();
            int count = n;
            // three times each, alternating, and the median: what one phase leaves for the collector (closed
            // channels the sink has not deregistered yet) must not favour one side
            double[] perChannel = new double[3];
            double[] perPooled = new double[3];
            for (int rep = 0; rep < 3; rep++) {
                perChannel[rep] = measure("bare SocketChannel", count, server, () -> bareChannels(address, count),
                        channels);
                perPooled[rep] = measure("gtcp pool, idle", count, server, () -> pool(hostPort, count), pooled);
            }
            double perSocket = measure("bare Socket", count, server, () -> bareSockets(address, count), null);
            System.out.printf(Locale.ROOT, "%nMEMORY bare-socketchannel %.0f bytes/connection%n", median(perChannel));
            System.out.printf(Locale.ROOT, "MEMORY bare-socket %.0f bytes/connection%n", perSocket);
            System.out.printf(Locale.ROOT, "MEMORY gtcp-idle %.0f bytes/connection%n", median(perPooled));
            System.out.printf(Locale.ROOT, "MEMORY gtcp-overhead %.0f bytes/connection (over a bare SocketChannel)%n",
                    median(perPooled) - median(perChannel));
            System.out.println();
            System.out.println("Where the pool's bytes go (idle pool minus bare SocketChannels, per connection, last pass):");
            printDiff(pooled, channels, count);
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    /** Something that opens {@code count} connections and closes them all on {@link Closeable#close()}. */
    private interface Opener {
        Closeable open() throws IOException;
    }

    private static double measure(String label, int count, SinkServer server, Opener opener,
                                  Map<String, Long> classesOut) throws Exception {
        Thread.sleep(200); // lets the sink deregister the channels the previous phase closed
        Map<String, Long> before = histogram();
        long base = total(before);
        Closeable set = opener.open();
        await(() -> server.connections() >= count, "server did not see " + count + " connections");
        Map<String, Long> after = histogram();
        long used = total(after);
        set.close();
        await(() -> server.connections() == 0, "server did not see the connections close");
        double per = (used - base) / (double) count;
        if (!label.equals("warm-up")) {
            System.out.printf(Locale.ROOT, "# %-20s %d connections: %,d bytes more live heap, %.0f bytes each%n",
                    label, count, used - base, per);
        }
        if (classesOut != null) {
            for (Map.Entry<String, Long> e : after.entrySet()) {
                classesOut.put(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L));
            }
        }
        return per;
    }

    private static Closeable bareChannels(InetSocketAddress address, int count) throws IOException {
        List<SocketChannel> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(address);
            list.add(ch);
        }
        return () -> {
            for (SocketChannel ch : list) {
                ch.close();
            }
        };
    }

    private static Closeable bareSockets(InetSocketAddress address, int count) throws IOException {
        List<Socket> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(address);
            list.add(s);
        }
        return () -> {
            for (Socket s : list) {
                s.close();
            }
        };
    }

    private static Closeable pool(String address, int count) throws IOException {
        PoolConnFactory pool = PoolConnFactory.builder().name("memory").address(address).maxSize(count).build();
        List<PoolConn> held = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            held.add(pool.get());
        }
        for (PoolConn c : held) {
            c.close(); // back to the pool: idle
        }
        held.clear();
        if (pool.stats().idle() != count) {
            throw new IllegalStateException("expected " + count + " idle connections: " + pool.stats());
        }
        return pool::close;
    }

    private static void await(BooleanSupplier condition, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(failure);
            }
            Thread.sleep(10); // polling the server's counter, not synchronising with it
        }
    }

    /** Live bytes by class, from the JVM's class histogram (a full GC first). */
    private static Map<String, Long> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, Long> bytes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
            } else if (f.length >= 3 && f[0].equals("Total")) {
                bytes.put("<total>", Long.parseLong(f[2]));
            }
        }
        return bytes;
    }

    private static long total(Map<String, Long> histogram) {
        return histogram.get("<total>");
    }

    private static void printDiff(Map<String, Long> pooled, Map<String, Long> channels, int count) {
        Map<String, Long> diff = new HashMap<>();
        for (String k : pooled.keySet()) {
            if (!k.equals("<total>")) {
                diff.put(k, pooled.get(k) - channels.getOrDefault(k, 0L));
            }
        }
        for (String k : channels.keySet()) {
            if (!k.equals("<total>")) {
                diff.putIfAbsent(k, -channels.get(k));
            }
        }
        diff.entrySet().stream()
                .filter(e -> Math.abs(e.getValue()) >= count * 4L)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(20)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %8.1f  %s%n", e.getValue() / (double) count,
                        e.getKey()));
    }

    /** Accepts connections and discards what they send; counts the open ones. */
    static final class SinkServer implements Closeable {
        private final ServerSocketChannel listener;
        private final Selector selector;
        private final AtomicInteger open = new AtomicInteger();
        private volatile boolean closed;

        private SinkServer(ServerSocketChannel listener, Selector selector) {
            this.listener = listener;
            this.selector = selector;
        }

        static SinkServer start() throws IOException {
            ServerSocketChannel listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            listener.configureBlocking(false);
            Selector selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
            SinkServer server = new SinkServer(listener, selector);
            Thread t = new Thread(server::loop, "memory-sink");
            t.setDaemon(true);
            t.start();
            return server;
        }

        int port() {
            return listener.socket().getLocalPort();
        }

        int connections() {
            return open.get();
        }

        private void loop() {
            ByteBuffer discard = ByteBuffer.allocate(4096);
            try {
                while (!closed) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        if (key.isAcceptable()) {
                            SocketChannel ch;
                            while ((ch = listener.accept()) != null) {
                                ch.configureBlocking(false);
                                ch.register(selector, SelectionKey.OP_READ);
                                open.incrementAndGet();
                            }
                        } else if (key.isReadable()) {
                            SocketChannel ch = (SocketChannel) key.channel();
                            discard.clear();
                            int n;
                            try {
                                n = ch.read(discard);
                            } catch (IOException reset) {
                                n = -1;
                            }
                            if (n < 0) {
                                key.cancel();
                                ch.close();
                                open.decrementAndGet();
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                if (!closed) {
                    System.err.println("sink server: " + e);
                }
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            selector.wakeup();
            listener.close();
            selector.close();
        }
    }
}
