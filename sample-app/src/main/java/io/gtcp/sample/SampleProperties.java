package io.gtcp.sample;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sample's settings, under {@code gtcp.sample}: which example of GoFrame gtcp's connection-pool documentation
 * the server plays (or example 3, this project's own: a group of three servers), where it listens, and how often and
 * how long the client talks to it. The client's pool is configured separately, by the starter's {@code gtcp.pool.*}
 * properties; {@code gtcp.pool.address} defaults to this sample's server (see
 * {@link SampleEnvironmentPostProcessor}), and example 3 replaces it with the group of its three servers (see
 * {@link SampleConfiguration}).
 *
 * <p>Every setting is read when the application runs, never in a condition: an AOT-processed build fixes its bean
 * definitions at build time, and the sample's must fit every example and role.
 */
@ConfigurationProperties("gtcp.sample")
public class SampleProperties {

    /** The port gtcp's examples listen on. */
    public static final int DEFAULT_PORT = 8999;

    /** Example 3's group: three loopback addresses, on Linux all routed to lo without any setup. */
    static final List<String> GROUP_HOSTS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");

    /**
     * Which example the sample plays: 1, an echo server, every message of a connection answered; 2, one reply,
     * then the server closes the connection; 3, three echo servers (127.0.0.1, .2 and .3) behind one least-busy
     * group, one of them stopped for the middle third of the run; 4, three package servers restarted one after
     * another (graceful shutdown) under the load of eight threads, and the count of failed calls; 5, a service as a
     * Spring Boot team writes both ends: the server is the starter's ({@code gtcp.server.*}) running the sample's
     * {@code PkgHandler} bean, and the client calls the pool's one-call exchange {@code sendRecvPkg}.
     */
    private int example = 1;

    /** The port the sample server listens on, on 127.0.0.1 (example 3: on .1, .2 and .3); 0: any free port. */
    private int port = DEFAULT_PORT;

    /** The pause between two exchanges of the client. */
    private Duration interval = Duration.ofSeconds(1);

    /** How many exchanges the client makes before the application exits with status 0; 0: no limit. */
    private long count;

    /** What this process runs: the server and the client, only the server, or only the client. */
    private Role role = Role.BOTH;

    public int getExample() {
        return example;
    }

    public void setExample(int example) {
        if (example < 1 || example > 5) {
            throw new IllegalArgumentException("example must be 1, 2, 3, 4 or 5, not " + example);
        }
        this.example = example;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
        }
        this.port = port;
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative: " + interval);
        }
        this.interval = interval;
    }

    public long getCount() {
        return count;
    }

    public void setCount(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        this.count = count;
    }

    /**
     * Where the sample's servers listen, {@code host:port}: 127.0.0.1, and for examples 3 and 4 also 127.0.0.2 and
     * 127.0.0.3, all on {@link #getPort() the port} (the addresses differ, so one port serves all three).
     */
    List<String> serverAddresses() {
        List<String> hosts = isGroup() ? GROUP_HOSTS : GROUP_HOSTS.subList(0, 1);
        return hosts.stream().map(host -> host + ":" + port).toList();
    }

    /** Whether the example runs a group of three servers (examples 3 and 4). */
    boolean isGroup() {
        return example == 3 || example == 4;
    }

    public Role getRole() {
        return role;
    }

    public void setRole(Role role) {
        this.role = role == null ? Role.BOTH : role;
    }

    /** What one process of the sample runs. */
    public enum Role {
        /** The server and, talking to it, the client: each example in one process, as gtcp's documentation runs it. */
        BOTH,
        /** Only the server, for clients in other processes. */
        SERVER,
        /** Only the client, talking to {@code gtcp.pool.address}. */
        CLIENT;

        boolean runsServer() {
            return this != CLIENT;
        }

        boolean runsClient() {
            return this != SERVER;
        }
    }
}
