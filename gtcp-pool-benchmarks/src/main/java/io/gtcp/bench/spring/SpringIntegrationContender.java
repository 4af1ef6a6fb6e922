package io.gtcp.bench.spring;

import io.gtcp.bench.Contender;

import java.util.Map;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code spring-integration}: the exchange through a {@link TcpGateway} in a running application context wired by
 * {@link SpringIntegrationWiring}: the Spring user's choice of a pooled TCP client.
 */
public final class SpringIntegrationContender implements Contender {

    private final AnnotationConfigApplicationContext context;
    private final TcpGateway gateway;

    public SpringIntegrationContender(String host, int port, int poolSize) {
        context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("bench",
                Map.of("bench.host", host, "bench.port", port, "bench.pool-size", poolSize)));
        context.register(SpringIntegrationWiring.class);
        context.refresh();
        gateway = context.getBean(TcpGateway.class);
    }

    @Override
    public String name() {
        return "spring-integration";
    }

    @Override
    public Worker newWorker() {
        return gateway::exchange;
    }

    @Override
    public void close() {
        context.close();
    }
}
