package io.gtcp.sample;

import io.gtcp.LoadBalancing;
import io.gtcp.PkgHandler;
import io.gtcp.PoolConnFactory;
import io.gtcp.spring.boot.autoconfigure.GtcpPoolConnFactoryBuilderCustomizer;

import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sample's beans. None is conditional: the server and the client read {@code gtcp.sample.role} when they start,
 * and the group customizer reads {@code gtcp.sample.example} when the starter builds its factory. Spring AOT
 * evaluates conditions once, at build time, and fixes the bean definitions it found; decided at run time instead,
 * one AOT-processed jar plays every example in every role.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleProperties.class)
class SampleConfiguration {

    @Bean
    SampleServer sampleServer(SampleProperties properties) {
        return new SampleServer(properties);
    }

    @Bean
    SampleClient sampleClient(PoolConnFactory pool, SampleProperties properties, SampleServer server) {
        SampleRollingRestart rollingRestart = properties.getExample() == 4
                && properties.getRole() == SampleProperties.Role.BOTH ? new SampleRollingRestart(pool, server) : null;
        return new SampleClient(pool, properties, SampleOutage.of(properties, server), rollingRestart);
    }

    /**
     * Example 5's service: the starter's gtcp server ({@code gtcp.server.address}, which
     * {@link SampleEnvironmentPostProcessor} sets) runs this handler for each request, {@code "> " + request}. It is
     * a bean in every example, as the server's condition is fixed at build time under AOT; the other examples leave
     * that server on a free port of 127.0.0.1, unused.
     */
    @Bean
    PkgHandler sampleService() {
        return (request) -> {
            byte[] reply = new byte[request.length + 2];
            reply[0] = '>';
            reply[1] = ' ';
            System.arraycopy(request, 0, reply, 2, request.length);
            return reply;
        };
    }

    /** Which pools exist and connect, on an INFO logger that a normal run leaves off. */
    @Bean
    SamplePoolReport samplePoolReport(Map<String, PoolConnFactory> pools) {
        return new SamplePoolReport(pools);
    }

    /**
     * Examples 3 and 4: the starter's factory becomes a least-busy group of the three sample servers, replacing the
     * single {@code gtcp.pool.address}; the starter's health and meters then cover the group.
     */
    @Bean
    GtcpPoolConnFactoryBuilderCustomizer sampleGroup(SampleProperties properties) {
        return new GtcpPoolConnFactoryBuilderCustomizer() {
            @Override
            public void customize(PoolConnFactory.Builder builder) {
                // named pools keep what their properties say: only the default pool becomes the group
            }

            @Override
            public void customize(String pool, PoolConnFactory.Builder builder) {
                if (properties.isGroup() && PoolConnFactory.DEFAULT_NAME.equals(pool)) {
                    builder.addresses(properties.serverAddresses()).loadBalancing(LoadBalancing.LEAST_BUSY);
                }
            }
        };
    }
}
