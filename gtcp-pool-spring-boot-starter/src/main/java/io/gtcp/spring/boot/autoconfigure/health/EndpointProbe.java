package io.gtcp.spring.boot.autoconfigure.health;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds out whether endpoints accept TCP connections: dials all of them at once (non-blocking connects under one
 * selector, on the caller's thread) and closes each connection as soon as it is established. One timeout bounds
 * the whole probe however many endpoints there are, so a health request never hangs behind a black-holed address.
 *
 * <p>A plain TCP connect, also for a TLS pool: it shows that the server is there and accepts connections, without
 * the cost of a handshake (and a TLS failure shows up in the pool's own dials anyway).
 */
final class EndpointProbe {

    private EndpointProbe() {
    }

    /** Each address ({@code host:port} or {@code [v6]:port}) mapped to null if it accepted, else why not. */
    static Map<String, IOException> probe(Collection<String> endpoints, Duration timeout) {
        Set<String> addresses = new LinkedHashSet<>(endpoints);
        Map<String, IOException> outcomes = new LinkedHashMap<>();
        List<SocketChannel> pending = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (String address : addresses) {
                start(address, selector, pending, outcomes);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (outcomes.size() < addresses.size()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                selector.select(left);
                for (SelectionKey key : selector.selectedKeys()) {
                    finish(key, outcomes);
                }
                selector.selectedKeys().clear();
            }
            for (String address : addresses) {
                if (!outcomes.containsKey(address)) { // (a null outcome is a success: no putIfAbsent)
                    outcomes.put(address,
                            new SocketTimeoutException("no connection within " + timeout.toMillis() + " ms"));
                }
            }
        }
        catch (IOException ex) {
            for (String address : addresses) {
                if (!outcomes.containsKey(address)) {
                    outcomes.put(address, ex);
                }
            }
        }
        finally {
            for (SocketChannel channel : pending) {
                closeQuietly(channel);
            }
        }
        return outcomes;
    }

    private static void start(String address, Selector selector, List<SocketChannel> pending,
            Map<String, IOException> outcomes) {
        try {
            SocketChannel channel = SocketChannel.open();
            pending.add(channel);
            channel.configureBlocking(false);
            if (channel.connect(socketAddress(address))) {
                outcomes.put(address, null);
                closeQuietly(channel);
            }
            else {
                channel.register(selector, SelectionKey.OP_CONNECT, address);
            }
        }
        catch (IOException | RuntimeException ex) {
            outcomes.put(address, (ex instanceof IOException io) ? io : new ConnectException(ex.getMessage()));
        }
    }

    private static void finish(SelectionKey key, Map<String, IOException> outcomes) {
        SocketChannel channel = (SocketChannel) key.channel();
        String address = (String) key.attachment();
        try {
            channel.finishConnect();
            outcomes.put(address, null);
        }
        catch (IOException ex) {
            outcomes.put(address, ex);
        }
        key.cancel();
        closeQuietly(channel);
    }

    private static InetSocketAddress socketAddress(String address) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        }
        catch (IOException ex) {
            // a probe connection: nothing was sent on it, nothing is lost
        }
    }
}
