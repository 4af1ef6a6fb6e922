package io.gtcp.sample;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;

import java.io.IOException;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Once the application is ready, tells on the INFO logger {@code io.gtcp.sample.SamplePoolReport} which
 * {@link PoolConnFactory} beans exist (the default pool and each {@code gtcp.pools.<name>}) and that each one
 * connects: one line per pool, {@code pool <name> (<bean>) max-size <n>: connected <local> <remote>}, or its error.
 *
 * <p>Why a log line and a real {@code get()}: it lets a reader outside the process (the AOT test runs the jar) see
 * that a named pool's bean was created and bound its settings at run time, down to the port chosen at start-up.
 * Why only when that logger is enabled: the sample's console is gtcp's documentation's, one line per exchange, and
 * the dial adds a connection to the server; both stay out of a normal run ({@code logging.level.io.gtcp=error}).
 */
final class SamplePoolReport implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(SamplePoolReport.class);

    private final Map<String, PoolConnFactory> pools;

    SamplePoolReport(Map<String, PoolConnFactory> pools) {
        this.pools = pools;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!log.isInfoEnabled()) {
            return;
        }
        this.pools.forEach((bean, pool) -> log.info("pool {} ({}) max-size {}: {}", pool.name(), bean,
                pool.maxSize(), connect(pool)));
    }

    private static String connect(PoolConnFactory pool) {
        try (PoolConn conn = pool.get()) {
            return "connected " + SampleClient.hostPort(conn.localAddress()) + " "
                    + SampleClient.hostPort(conn.remoteAddress());
        } catch (IOException | RuntimeException e) {
            return "failed: " + e;
        }
    }
}
