package io.gtcp.spring.boot.autoconfigure.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table of {@code docs/properties.md} lists exactly the {@code gtcp.pool.*} keys of the configuration metadata
 * that the properties classes generate: a key added to the code and not to the doc, or left in the doc after it
 * went, fails the build.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PropertiesDocTests {

    private static final Pattern METADATA_NAME = Pattern.compile("\"name\"\\s*:\\s*\"(gtcp\\.pool\\.[^\"]+)\"");

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\|");

    @Test
    void theTableListsEveryKeyOfTheDefaultPoolAndNoOther() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : DocPages.read("docs/properties.md").split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find() && !row.group(1).startsWith("management.")) {
                documented.add("gtcp.pool." + row.group(1));
            }
        }
        Set<String> known = new TreeSet<>();
        try (InputStream in = getClass().getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int hints = json.indexOf("\"hints\"");
            // the properties, not the groups before them nor the hints after
            Matcher name = METADATA_NAME.matcher(json.substring(json.indexOf("\"properties\""),
                    (hints > json.indexOf("\"properties\"")) ? hints : json.length()));
            while (name.find()) {
                known.add(name.group(1));
            }
        }
        assertThat(known).as("the metadata's gtcp.pool keys").isNotEmpty();
        assertThat(documented).as("docs/properties.md against the metadata").isEqualTo(known);
    }
}
