package io.gtcp.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sample's settings, under {@code gtcp.sample}: which of the seed's examples the server plays, where it
 * listens, and how often and how long the client talks to it. The client's pool is configured separately, by the
 * starter's {@code gtcp.pool.*} properties; {@code gtcp.pool.address} defaults to this sample's server (see
 * {@link SampleEnvironmentPostProcessor}).
 */
@ConfigurationProperties("gtcp.sample")
public class SampleProperties {

    /** The port gtcp's examples listen on. */
    public static final int DEFAULT_PORT = 8999;

    /**
     * Which of the seed's examples the server plays: 1, echo every message of a connection; 2, reply once and
     * close the connection.
     */
    private int example = 1;

    /** The port the sample server listens on, on 127.0.0.1; 0: any free port. */
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
        if (example != 1 && example != 2) {
            throw new IllegalArgumentException("example must be 1 or 2, not " + example);
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

    public Role getRole() {
        return role;
    }

    public void setRole(Role role) {
        this.role = role == null ? Role.BOTH : role;
    }

    /** What one process of the sample runs. */
    public enum Role {
        /** The server and, talking to it, the client: the seed's examples in one process. */
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
