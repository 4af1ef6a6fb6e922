package io.gtcp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample exposes the starter's pool health and gauges the way docs/sample-app.md says: as JMX endpoints, with no
 * web server.
 */
@Timeout(60)
class SampleActuatorTests {

    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();

    @Test
    void poolHealthAndGaugesAreJmxEndpoints() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplication(SampleApplication.class).run(
                "--gtcp.sample.port=0", "--gtcp.sample.count=2", "--gtcp.sample.interval=50ms")) {
            assertThat(context.getBean(SampleClient.class).awaitCompletion(Duration.ofSeconds(30))).isTrue();
            String address = "127.0.0.1:" + context.getBean(SampleServer.class).port();

            Map<String, Object> health = map(invoke("Health", "health", new Object[0], new String[0]));
            assertThat(health).containsEntry("status", "UP");
            Map<String, Object> gtcp = map(map(health.get("components")).get("gtcp"));
            assertThat(gtcp).containsEntry("status", "UP");
            // one entry per pool bean: the client's default pool and application.properties' named pool "spare"
            Map<String, Object> pools = map(gtcp.get("components"));
            assertThat(pools).containsOnlyKeys("gtcpPoolConnFactory", "sparePoolConnFactory");
            assertThat(map(map(pools.get("gtcpPoolConnFactory")).get("details"))).containsEntry("address", address);
            assertThat(map(pools.get("sparePoolConnFactory"))).containsEntry("status", "UP");
            assertThat(map(map(pools.get("sparePoolConnFactory")).get("details"))).containsEntry("address", address);

            // example 1's one connection is back in the pool after the last exchange
            assertThat(gauge("gtcp.pool.connections.idle", "address:" + address, "pool:default")).isEqualTo(1.0);
            assertThat(gauge("gtcp.pool.connections.active", "address:" + address, "pool:default")).isEqualTo(0.0);
        }
    }

    private double gauge(String name, String... tags) throws JMException {
        Map<String, Object> metric = map(invoke("Metrics", "metric", new Object[] { name, List.of(tags) },
                new String[] { String.class.getName(), List.class.getName() }));
        assertThat(metric).as(name).isNotNull().containsEntry("name", name);
        Map<String, Object> value = map(((List<?>) metric.get("measurements")).get(0));
        return ((Number) value.get("value")).doubleValue();
    }

    /** The JMX endpoints answer with the JSON maps the web endpoints would send. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object jsonObject) {
        return (Map<String, Object>) jsonObject;
    }

    private Object invoke(String endpoint, String operation, Object[] params, String[] signature)
            throws JMException {
        ObjectName name = new ObjectName("org.springframework.boot:type=Endpoint,name=" + endpoint);
        return mbeans.invoke(name, operation, params, signature);
    }
}
