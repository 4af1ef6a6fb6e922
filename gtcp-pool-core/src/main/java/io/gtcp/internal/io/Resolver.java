package io.gtcp.internal.io;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Name resolution within a deadline. The JDK's {@link InetAddress#getByName} has no timeout (a dead DNS server
 * holds the caller for the resolver's own retries, easily tens of seconds), so a dial bounded by a connect
 * timeout resolves on a small pool of daemon threads and waits for the answer with the time left. A literal IP
 * address, or a dial without a deadline, resolves in the caller's thread: nothing to wait for, no thread.
 *
 * <p>The threads end after a second without work, so none outlives the dials that needed it by more than that;
 * a lookup that hangs keeps its thread until the system resolver gives up, but never its caller.
 */
public final class Resolver {

    private static final int THREADS = 4;
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final ThreadPoolExecutor EXECUTOR = executor();

    private Resolver() {
    }

    /** Resolves {@code "host:port"} now; a host that does not resolve is an {@link UnknownHostException}. */
    public static InetSocketAddress resolve(String address) throws UnknownHostException {
        return resolved(Addresses.resolve(address), address);
    }

    /**
     * Resolves {@code "host:port"} by {@code deadline}: past it, a {@link SocketTimeoutException} naming the host;
     * a host that does not resolve is an {@link UnknownHostException}.
     */
    public static InetSocketAddress resolve(String address, long deadline) throws java.io.IOException {
        String host = Addresses.host(address);
        int port = Addresses.port(address);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("invalid address '" + address + "': a host is needed to connect");
        }
        if (deadline == Deadlines.NONE || isLiteral(host)) {
            return resolved(new InetSocketAddress(host, port), address);
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw timeout(host, address);
        }
        Future<InetAddress> lookup = EXECUTOR.submit(() -> InetAddress.getByName(host));
        try {
            return new InetSocketAddress(lookup.get(remaining, TimeUnit.NANOSECONDS), port);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw timeout(host, address);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException) {
                throw (UnknownHostException) e.getCause();
            }
            throw Link.withCause(new UnknownHostException("cannot resolve host of " + address), e.getCause());
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while resolving " + host);
        }
    }

    static InetSocketAddress resolved(InetSocketAddress target, String address) throws UnknownHostException {
        if (target.isUnresolved()) {
            throw new UnknownHostException("cannot resolve host of " + address);
        }
        return target;
    }

    /** An IPv4 dotted quad or an IPv6 address: {@link InetAddress} parses it without asking DNS. */
    static boolean isLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static SocketTimeoutException timeout(String host, String address) {
        return new SocketTimeoutException("connect to " + address + " timed out resolving the host name '" + host
                + "' within the connect timeout");
    }

    private static ThreadPoolExecutor executor() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 1, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "gtcp-resolver-" + IDS.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
