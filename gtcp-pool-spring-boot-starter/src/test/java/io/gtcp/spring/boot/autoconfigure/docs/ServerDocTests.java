package io.gtcp.spring.boot.autoconfigure.docs;

import io.gtcp.EndpointStatus;
import io.gtcp.PkgHandler;
import io.gtcp.PoolConnFactory;
import io.gtcp.TcpServer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of {@code docs/server.md}, run: a {@code PkgHandler} bean and {@code gtcp.server.address} make a
 * server that a fleet client's pool, configured as the page says, reaches through discovery (Spring Cloud's simple
 * client here, an instance with {@code gtcp-port} in its metadata) and calls with the factory's exchange.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerDocTests {

    @Test
    void theServerAndAFleetClientOfThePageTalk() {
        try (ConfigurableApplicationContext server = application(ServerApplication.class).run(
                "--spring.config.location=classpath:docs/server.yml", "--gtcp.server.address=127.0.0.1:0");
                ConfigurableApplicationContext fleetServer = application(ServerApplication.class).run(
                        "--spring.config.location=classpath:docs/fleet-server.yml",
                        "--gtcp.server.address=127.0.0.1:0")) {
            int port = server.getBean(TcpServer.class).port();
            assertThat(fleetServer.getEnvironment().getProperty("spring.application.name")).isEqualTo("orders");
            assertThat(fleetServer.getBean(TcpServer.class).isListening()).isTrue();
            try (ConfigurableApplicationContext client = application(ClientApplication.class).run(
                    "--spring.config.location=classpath:docs/fleet-client.yml",
                    // an instance registered at another port (a web port), its gtcp port in the metadata
                    "--spring.cloud.discovery.client.simple.instances.orders[0].uri=http://127.0.0.1:1",
                    "--spring.cloud.discovery.client.simple.instances.orders[0].metadata.gtcp-port=" + port)) {
                PoolConnFactory pool = client.getBean(PoolConnFactory.class);
                assertThat(pool.endpoints()).extracting(EndpointStatus::address).containsExactly("127.0.0.1:" + port);
                assertThat(new String(pool.sendRecvPkg("order 7".getBytes(StandardCharsets.UTF_8)),
                        StandardCharsets.UTF_8)).isEqualTo("handled order 7");
            }
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static SpringApplication application(Class<?> configuration) {
        SpringApplication application = new SpringApplication(configuration);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application;
    }

    /** What the page's handler calls. */
    static class OrderService {

        byte[] handle(byte[] request) {
            return ("handled " + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ServerApplication {

        @Bean
        OrderService orderService() {
            return new OrderService();
        }

        // tag::server-handler[]
        @Bean
        PkgHandler orders(OrderService service) {
            return (request) -> service.handle(request);   // one request in, one reply out
        }
        // end::server-handler[]
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ClientApplication {

    }
}
