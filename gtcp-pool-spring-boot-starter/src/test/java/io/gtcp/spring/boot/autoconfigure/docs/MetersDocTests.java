package io.gtcp.spring.boot.autoconfigure.docs;

import io.gtcp.PoolConn;
import io.gtcp.PoolConnFactory;
import io.gtcp.spring.boot.autoconfigure.EchoServer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters table of {@code docs/meters.md} against what an application really exports: a Spring Boot application
 * with every auto-configuration on the class path renders its scrape through a real
 * {@link PrometheusMeterRegistry}, and every {@code gtcp_*} family in it, with its HELP text and its labels, must be
 * the table's, and the table must have no family the scrape lacks. The table is read from the doc, so the doc
 * cannot drift from the code.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetersDocTests {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(?:\\{(.*)})? \\S+$");

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void everyExportedFamilyIsInTheDocsTableWithItsHelpAndLabels() throws IOException {
        Map<String, Family> documented = documented();
        Map<String, Family> exported = scrape();
        assertThat(exported.keySet()).as("families exported, against docs/meters.md")
            .containsExactlyInAnyOrderElementsOf(documented.keySet());
        exported.forEach((name, family) -> {
            assertThat(family.help).as("HELP of " + name).isNotBlank().isEqualTo(documented.get(name).help);
            assertThat(family.labels).as("labels of " + name).isEqualTo(documented.get(name).labels);
        });
    }

    @Test
    void everyReasonAndOutcomeExportedIsDocumented() throws IOException {
        Map<String, Family> exported = scrape();
        String closed = documented().get("gtcp_pool_connections_closed_total").row;
        assertThat(exported.get("gtcp_pool_connections_closed_total").values.get("reason"))
            .allSatisfy((reason) -> assertThat(closed).contains("`" + reason + "`"))
            .contains("ejected");
        String requests = documented().get("gtcp_client_requests_seconds").row;
        assertThat(exported.get("gtcp_client_requests_seconds").values.get("outcome"))
            .allSatisfy((outcome) -> assertThat(requests).contains("`" + outcome + "`"));
        assertThat(exported.get("gtcp_client_requests_seconds").values.get("error"))
            .allSatisfy((error) -> assertThat(requests).contains("`" + error + "`"));
    }

    /** The families of the scrape of an application with one pool that made one exchange. */
    private static Map<String, Family> scrape() throws IOException {
        String text;
        try (EchoServer server = EchoServer.plain();
                ConfigurableApplicationContext context = application().run("--gtcp.pool.address=" + server.address(),
                        "--gtcp.pool.name=orders")) {
            try (PoolConn conn = context.getBean(PoolConnFactory.class).get()) {
                conn.sendRecvPkg("ping".getBytes(StandardCharsets.UTF_8));
            }
            text = context.getBean(PrometheusMeterRegistry.class).scrape();
        }
        Map<String, Family> families = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP gtcp_")) {
                String rest = line.substring("# HELP ".length());
                int space = rest.indexOf(' ');
                String name = (space < 0) ? rest : rest.substring(0, space);
                families.put(name, new Family((space < 0) ? "" : rest.substring(space + 1), null));
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("gtcp_") || !sample.matches()) {
                continue;
            }
            Family family = familyOf(families, sample.group(1));
            Matcher label = LABEL.matcher((sample.group(2) != null) ? sample.group(2) : "");
            while (label.find()) {
                if (!label.group(1).equals("quantile")) {
                    family.labels.add(label.group(1));
                    family.values.computeIfAbsent(label.group(1), (k) -> new TreeSet<>()).add(label.group(2));
                }
            }
        }
        return families;
    }

    /** The family a sample belongs to: the longest family name that it starts with. */
    private static Family familyOf(Map<String, Family> families, String sample) {
        String best = null;
        for (String name : families.keySet()) {
            if (sample.startsWith(name) && (best == null || name.length() > best.length())) {
                best = name;
            }
        }
        assertThat(best).as("the family of " + sample).isNotNull();
        return families.get(best);
    }

    /** The families of the table in docs/meters.md: the Prometheus, Tags and HELP columns of each row. */
    private static Map<String, Family> documented() {
        Map<String, Family> families = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : DocPages.read("docs/meters.md").split("\n")) {
            if (line.startsWith("| Meter | Prometheus |")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.startsWith("| ---")) {
                continue;
            }
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|");
            // cells[0] is before the first bar: Meter, Prometheus, Type, Tags, HELP, Meaning
            Family family = new Family(cells[5].strip(), line);
            family.labels.addAll(codes(cells[4]));
            for (String name : codes(cells[2])) {
                assertThat(families.put(name, family)).as(name + " twice in the table").isNull();
            }
        }
        assertThat(families).as("the meters table of docs/meters.md").isNotEmpty();
        return families;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            codes.add(code.group(1));
        }
        return codes;
    }

    private static SpringApplication application() {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application;
    }

    /** A family: its HELP, its label names and the values each label took, and the doc's row. */
    private static final class Family {

        final String help;

        final String row;

        final Set<String> labels = new TreeSet<>();

        final Map<String, Set<String>> values = new TreeMap<>();

        Family(String help, String row) {
            this.help = help;
            this.row = row;
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

    }
}
