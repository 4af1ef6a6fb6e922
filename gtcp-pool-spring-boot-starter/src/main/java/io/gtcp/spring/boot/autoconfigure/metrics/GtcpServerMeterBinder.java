package io.gtcp.spring.boot.autoconfigure.metrics;

import io.gtcp.TcpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The meters of every {@link TcpServer} bean, tagged {@code server} with its bean name:
 * {@value #ACTIVE} (a gauge: connections served now) and {@value #ACCEPTED} (a counter: connections taken into
 * service so far; those refused over {@code max-connections} are not). Both read the server's own counts when
 * scraped: nothing is done per connection.
 */
public class GtcpServerMeterBinder implements MeterBinder {

    /** Connections being served now. */
    public static final String ACTIVE = "gtcp.server.connections.active";

    /** Connections taken into service so far. */
    public static final String ACCEPTED = "gtcp.server.connections.accepted";

    private final ListableBeanFactory beanFactory;

    public GtcpServerMeterBinder(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Map<String, TcpServer> servers = this.beanFactory.getBeansOfType(TcpServer.class);
        servers.forEach((name, server) -> {
            Gauge.builder(ACTIVE, server, TcpServer::connectionCount)
                .description("Connections the gtcp server is serving now")
                .tag("server", name)
                .register(registry);
            FunctionCounter.builder(ACCEPTED, server, TcpServer::acceptedCount)
                .description("Connections the gtcp server took into service")
                .tag("server", name)
                .register(registry);
        });
    }
}
