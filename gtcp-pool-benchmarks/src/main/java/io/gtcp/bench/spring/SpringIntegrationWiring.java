package io.gtcp.bench.spring;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.annotation.IntegrationComponentScan;
import org.springframework.integration.annotation.ServiceActivator;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.ip.tcp.connection.AbstractClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.CachingClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNetClientConnectionFactory;
import org.springframework.integration.ip.tcp.outbound.TcpOutboundGateway;
import org.springframework.integration.ip.tcp.serializer.ByteArrayLengthHeaderSerializer;

/**
 * The client side of a TCP request-reply as Spring Integration's reference manual wires it: a
 * {@link TcpNetClientConnectionFactory} with a 2-byte length header, wrapped in a
 * {@link CachingClientConnectionFactory} (the pool), a {@link TcpOutboundGateway} as the service activator of the
 * request channel, and a {@link TcpGateway} interface in front. TCP_NODELAY is turned on, as a tuned application
 * would; the pool holds as many connections as gtcp's.
 */
@Configuration(proxyBeanMethods = true)
@EnableIntegration
@IntegrationComponentScan(basePackageClasses = TcpGateway.class)
public class SpringIntegrationWiring {

    static final String REQUESTS = "toTcp";

    @Value("${bench.host}")
    private String host;

    @Value("${bench.port}")
    private int port;

    @Value("${bench.pool-size}")
    private int poolSize;

    @Bean
    public TcpNetClientConnectionFactory tcpClientFactory() {
        TcpNetClientConnectionFactory factory = new TcpNetClientConnectionFactory(host, port);
        ByteArrayLengthHeaderSerializer codec = new ByteArrayLengthHeaderSerializer(2);
        factory.setSerializer(codec);
        factory.setDeserializer(codec);
        factory.setSoTcpNoDelay(true);
        return factory;
    }

    @Bean
    public CachingClientConnectionFactory cachingClientFactory() {
        return new CachingClientConnectionFactory(tcpClientFactory(), poolSize);
    }

    @Bean
    @ServiceActivator(inputChannel = REQUESTS)
    public TcpOutboundGateway tcpOutboundGateway() {
        TcpOutboundGateway gateway = new TcpOutboundGateway();
        AbstractClientConnectionFactory factory = cachingClientFactory();
        gateway.setConnectionFactory(factory);
        gateway.setRemoteTimeout(10_000);
        return gateway;
    }
}
