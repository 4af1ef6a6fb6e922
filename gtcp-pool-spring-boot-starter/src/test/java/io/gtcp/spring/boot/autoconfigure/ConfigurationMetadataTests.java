package io.gtcp.spring.boot.autoconfigure;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The metadata the IDE reads: generated from {@link GtcpPoolProperties} by the configuration processor. */
class ConfigurationMetadataTests {

    @Test
    void everyPropertyHasADescriptionAndItsDefault() throws IOException {
        DocumentContext metadata = read("META-INF/spring-configuration-metadata.json");
        List<Map<String, Object>> properties = metadata.read("$.properties[?(@.name =~ /gtcp\\.pool\\..*/)]");
        assertThat(properties).extracting((property) -> property.get("name"))
            .containsExactlyInAnyOrder("gtcp.pool.address", "gtcp.pool.name", "gtcp.pool.ttl",
                    "gtcp.pool.max-lifetime", "gtcp.pool.max-size", "gtcp.pool.min-idle", "gtcp.pool.acquire-timeout",
                    "gtcp.pool.connect-timeout", "gtcp.pool.read-timeout", "gtcp.pool.write-timeout",
                    "gtcp.pool.retry.count", "gtcp.pool.retry.interval", "gtcp.pool.validate-on-borrow",
                    "gtcp.pool.check-idle-after",
                    "gtcp.pool.leak-detection-threshold", "gtcp.pool.ssl.bundle", "gtcp.pool.addresses",
                    "gtcp.pool.load-balancing", "gtcp.pool.refresh-every",
                    "gtcp.pool.outlier-ejection.consecutive-failures", "gtcp.pool.outlier-ejection.base-ejection-time",
                    "gtcp.pool.outlier-ejection.max-ejection-percent", "gtcp.pool.discovery.service-id",
                    "gtcp.pool.discovery.port-metadata-key", "gtcp.pool.discovery.poll-until-heartbeat",
                    "gtcp.pool.idempotent", "gtcp.pool.max-pending", "gtcp.pool.retry-budget.ratio",
                    "gtcp.pool.retry-budget.min-per-second", "gtcp.pool.retry-budget.window");
        assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
            .as("description of %s", property.get("name"))
            .isNotBlank());
        assertThat(properties).filteredOn((property) -> !List.of("gtcp.pool.address", "gtcp.pool.ssl.bundle",
                "gtcp.pool.addresses", "gtcp.pool.discovery.service-id")
            .contains(property.get("name")))
            .allSatisfy((property) -> assertThat(property.get("defaultValue"))
                .as("default of %s", property.get("name"))
                .isNotNull());
        assertThat(defaultOf(properties, "gtcp.pool.ttl")).isEqualTo("600s");
        assertThat(defaultOf(properties, "gtcp.pool.max-size")).isEqualTo(64);
        assertThat(defaultOf(properties, "gtcp.pool.acquire-timeout")).isEqualTo("30s");
        assertThat(defaultOf(properties, "gtcp.pool.name")).isEqualTo("default");
        assertThat(defaultOf(properties, "gtcp.pool.load-balancing")).isEqualTo("least-busy");
        assertThat(defaultOf(properties, "gtcp.pool.refresh-every")).isEqualTo("30s");
        assertThat(defaultOf(properties, "gtcp.pool.outlier-ejection.base-ejection-time")).isEqualTo("10s");
        assertThat(defaultOf(properties, "gtcp.pool.idempotent")).isEqualTo(false);
        assertThat(defaultOf(properties, "gtcp.pool.max-pending")).isEqualTo(-1);
        assertThat(defaultOf(properties, "gtcp.pool.retry-budget.ratio")).isEqualTo(0.2);
        assertThat(defaultOf(properties, "gtcp.pool.retry-budget.min-per-second")).isEqualTo(10);
        assertThat(defaultOf(properties, "gtcp.pool.retry-budget.window")).isEqualTo("10s");
        assertThat(defaultOf(properties, "gtcp.pool.discovery.port-metadata-key")).isEqualTo("gtcp-port");
        assertThat(defaultOf(properties, "gtcp.pool.discovery.poll-until-heartbeat")).isEqualTo("2s");
        assertThat(descriptionOf(properties, "gtcp.pool.acquire-timeout")).contains("0 fails at once")
            .doesNotContain("no limit");
        List<String> health = metadata.read("$.properties[?(@.name == 'management.health.gtcp.enabled')].name");
        assertThat(health).as("merged from additional-spring-configuration-metadata.json").isNotEmpty();
    }

    @Test
    void everyServerPropertyHasADescriptionAndTheDefaultsOfBootsServers() throws IOException {
        DocumentContext metadata = read("META-INF/spring-configuration-metadata.json");
        List<Map<String, Object>> properties = metadata.read("$.properties[?(@.name =~ /gtcp\\.server\\..*/)]");
        assertThat(properties).extracting((property) -> property.get("name"))
            .containsExactlyInAnyOrder("gtcp.server.address", "gtcp.server.max-connections",
                    "gtcp.server.virtual-threads", "gtcp.server.shutdown", "gtcp.server.ssl.bundle");
        assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
            .as("description of %s", property.get("name"))
            .isNotBlank());
        assertThat(defaultOf(properties, "gtcp.server.max-connections")).isEqualTo(10000);
        assertThat(defaultOf(properties, "gtcp.server.shutdown")).isEqualTo("graceful");
        assertThat(descriptionOf(properties, "gtcp.server.virtual-threads")).contains("spring.threads.virtual.enabled");
        assertThat(descriptionOf(properties, "gtcp.server.shutdown"))
            .contains("spring.lifecycle.timeout-per-shutdown-phase");
        List<String> health = metadata.read("$.properties[?(@.name == 'management.health.gtcp-server.enabled')].name");
        assertThat(health).isNotEmpty();
    }

    @Test
    void namedPoolsAreAMapWhoseValuesHaveTheKeysOfTheDefaultPool() throws IOException {
        DocumentContext metadata = read("META-INF/spring-configuration-metadata.json");
        List<Map<String, Object>> pools = metadata.read("$.properties[?(@.name == 'gtcp.pools')]");
        assertThat(pools).singleElement().satisfies((pools0) -> {
            assertThat(pools0.get("type")).as("the IDE completes gtcp.pools.<name>.* from this value type")
                .isEqualTo("java.util.Map<java.lang.String," + GtcpPoolProperties.class.getName() + ">");
            assertThat((String) pools0.get("description")).contains("<name>PoolConnFactory")
                .contains("every key of gtcp.pool but name");
        });
        List<String> name = metadata.read("$.properties[?(@.name == 'gtcp.pool.name')].description");
        assertThat(name).singleElement()
            .as("the IDE offers gtcp.pools.<name>.name from the same description")
            .asString()
            .contains("gtcp.pool only")
            .contains("gtcp.pools.<name>.name stops the start");
        List<String> groups = metadata.read("$.groups[?(@.name == 'gtcp.pool')].type");
        assertThat(groups).as("the keys of a named pool are these, described above")
            .containsExactly(GtcpPoolProperties.class.getName());
    }

    private static String descriptionOf(List<Map<String, Object>> properties, String name) {
        return (String) properties.stream().filter((p) -> name.equals(p.get("name"))).findFirst().orElseThrow()
            .get("description");
    }

    private static Object defaultOf(List<Map<String, Object>> properties, String name) {
        return properties.stream().filter((p) -> name.equals(p.get("name"))).findFirst().orElseThrow()
            .get("defaultValue");
    }

    private static DocumentContext read(String resource) throws IOException {
        try (InputStream in = ConfigurationMetadataTests.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return JsonPath.parse(in);
        }
    }
}
