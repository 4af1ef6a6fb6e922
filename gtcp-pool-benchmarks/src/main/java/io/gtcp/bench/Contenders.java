package io.gtcp.bench;

import io.gtcp.bench.spring.SpringIntegrationContender;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Opens a {@link Contender} by the name the command line and the report use. The one place that knows every
 * contender, so that the harness, the JMH exchange benchmark and the tests open them alike.
 */
public final class Contenders {

    /** Every name {@link #open} knows. */
    public static final List<String> ALL = List.of("raw", "connect", "gtcp", "commons-pool2", "commons-pool2-tob",
            "spring-integration", "gtcp-group", "commons-pool2-group");

    /** The contenders that can dial TLS ({@code --tls}): all but {@code connect} and {@code spring-integration}. */
    public static final List<String> TLS = List.of("raw", "gtcp", "commons-pool2", "commons-pool2-tob", "gtcp-group",
            "commons-pool2-group");

    private Contenders() {
    }

    /**
     * Opens {@code name} against {@code servers}: a {@code -group} contender spreads over all of them, any other
     * uses the first. {@code poolSize} is the pools' maximum per address; {@code timeouts} sets read and write
     * timeouts of 5 s on the pools and {@code SO_TIMEOUT} 5 s on the sockets of raw and commons-pool2
     * (connect and spring-integration keep their defaults).
     */
    public static Contender open(String name, List<EchoServer> servers, int poolSize, boolean timeouts) {
        return open(name, servers, poolSize, timeouts, false, false);
    }

    /**
     * As {@link #open(String, List, int, boolean)}; with {@code outside}, {@code raw} uses data streams, and with
     * {@code tls} every connection is TLS (the servers must be {@linkplain EchoServer#startTls TLS servers}); only
     * the contenders of {@link #TLS} have a TLS form.
     */
    public static Contender open(String name, List<EchoServer> servers, int poolSize, boolean timeouts,
                                 boolean outside, boolean tls) {
        if (tls && !TLS.contains(name)) {
            throw new IllegalArgumentException("contender " + name + " has no TLS form; with --tls: " + TLS);
        }
        EchoServer first = servers.get(0);
        InetSocketAddress address = first.socketAddress();
        return switch (name) {
            case "raw" -> new RawContender(address, timeouts, tls, outside);
            case "connect" -> new ConnectContender(first.address());
            case "gtcp" -> new GtcpContender(name, List.of(first.address()), poolSize, timeouts, tls);
            case "commons-pool2" -> new CommonsPool2Contender(name, List.of(address), poolSize, false, timeouts, tls);
            case "commons-pool2-tob" -> new CommonsPool2Contender(name, List.of(address), poolSize, true, timeouts,
                    tls);
            case "spring-integration" -> new SpringIntegrationContender(address.getHostString(), first.port(),
                    poolSize);
            case "gtcp-group" -> new GtcpContender(name, servers.stream().map(EchoServer::address).toList(),
                    poolSize, timeouts, tls);
            case "commons-pool2-group" -> new CommonsPool2Contender(name,
                    servers.stream().map(EchoServer::socketAddress).toList(), poolSize, false, timeouts, tls);
            default -> throw new IllegalArgumentException("unknown contender " + name + "; known: " + ALL);
        };
    }
}
