package io.gtcp.registry;

import io.gtcp.PkgHandler;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.curator.test.TestingServer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The applications of a fleet behind ZooKeeper, as a team writes them: a gtcp server application (a
 * {@link PkgHandler} bean and {@code gtcp.server.address}, no web server) and a client application (a pool with
 * {@code gtcp.pool.discovery.service-id}); both use Spring Cloud Zookeeper's discovery and nothing else of it.
 */
final class FleetApplications {

    static final String SERVICE = "orders";

    private FleetApplications() {
    }

    /** A server application named {@code name}, listening on {@code ip}, registered with {@code zookeeper}. */
    static ConfigurableApplicationContext server(TestingServer zookeeper, String name, String ip) {
        return new SpringApplicationBuilder(ServerApplication.class).web(WebApplicationType.NONE)
            .properties(common(zookeeper))
            .properties("test.server-name=" + name, "gtcp.server.address=" + ip + ":0",
                    // registered at the loopback address it listens on, never at the machine's own address
                    "spring.cloud.zookeeper.discovery.instance-host=" + ip,
                    "spring.cloud.zookeeper.discovery.instance-ip-address=" + ip,
                    "spring.lifecycle.timeout-per-shutdown-phase=10s")
            .run();
    }

    /** A client application that does not register itself: it never gets a registry event. */
    static ConfigurableApplicationContext client(TestingServer zookeeper, String... properties) {
        return new SpringApplicationBuilder(ClientApplication.class).web(WebApplicationType.NONE)
            .properties(common(zookeeper))
            .properties("spring.application.name=orders-client", "spring.cloud.zookeeper.discovery.register=false",
                    "gtcp.pool.discovery.service-id=" + SERVICE, "gtcp.pool.refresh-every=60s",
                    "gtcp.pool.connect-timeout=2s", "gtcp.pool.read-timeout=5s")
            .properties(properties)
            .run();
    }

    private static String[] common(TestingServer zookeeper) {
        return new String[] { "spring.application.name=" + SERVICE,
                "spring.cloud.zookeeper.connect-string=" + zookeeper.getConnectString(),
                "spring.cloud.zookeeper.discovery.prefer-ip-address=true",
                "spring.cloud.inetutils.preferred-networks=127.0.0",
                // a test never waits long for a ZooKeeper that is not there
                "spring.cloud.zookeeper.connection-timeout=5s", "spring.cloud.zookeeper.session-timeout=10s",
                "spring.cloud.zookeeper.block-until-connected-wait=10", "spring.main.banner-mode=off" };
    }

    /** Replies {@code <server name>:<request>}, after 2 ms: a server that takes a moment, which paces the load. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ServerApplication {

        @Bean
        PkgHandler ordersHandler(@Value("${test.server-name}") String name) {
            byte[] prefix = (name + ":").getBytes(StandardCharsets.UTF_8);
            return (request) -> {
                Thread.sleep(Duration.ofMillis(2).toMillis()); // the scripted slow peer: paces the client's loop
                byte[] reply = new byte[prefix.length + request.length];
                System.arraycopy(prefix, 0, reply, 0, prefix.length);
                System.arraycopy(request, 0, reply, prefix.length, request.length);
                return reply;
            };
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ClientApplication {

    }
}
