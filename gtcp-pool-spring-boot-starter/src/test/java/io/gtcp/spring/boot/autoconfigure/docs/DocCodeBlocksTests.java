package io.gtcp.spring.boot.autoconfigure.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java and YAML examples of {@code README.md} and {@code docs/*.md} are not written twice: each fenced block
 * must be, line for line, a region ({@code tag::name[]} … {@code end::name[]}) of a test source or resource of
 * this repository, where a test compiles and runs it ({@link DocExamplesTests}, {@link DocConfigurationTests}).
 * So an example that stops compiling, stops working or is edited in the doc alone fails the build.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DocCodeBlocksTests {

    /**
     * Pages written by other work in progress, whose examples are not regions yet. Each is to leave this list
     * when its examples become regions of tests.
     */
    private static final Set<String> NOT_YET_CHECKED = Set.of("logging-fleet.md");

    private static final Pattern FENCE = Pattern.compile("^```(java|yaml)\\s*$");

    private static final Pattern TAG = Pattern.compile("(?://|#)\\s*tag::([\\w.-]+)\\[\\]");

    private static final Pattern END = Pattern.compile("(?://|#)\\s*end::([\\w.-]+)\\[\\]");

    @Test
    void everyJavaAndYamlBlockOfTheDocsIsARegionOfATestSource() throws IOException {
        Path root = DocPages.root();
        Map<String, String> regions = regions(root);
        List<String> pages = DocPages.pages(root);
        int blocks = 0;
        List<String> strays = new ArrayList<>();
        for (String page : pages) {
            if (NOT_YET_CHECKED.contains(Path.of(page).getFileName().toString())) {
                continue;
            }
            List<String> lines = Files.readAllLines(root.resolve(page), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (!FENCE.matcher(lines.get(i)).matches()) {
                    continue;
                }
                int start = i + 1;
                int end = start;
                while (end < lines.size() && !lines.get(end).startsWith("```")) {
                    end++;
                }
                String block = normalize(lines.subList(start, end));
                blocks++;
                if (!regions.containsValue(block)) {
                    strays.add(page + ":" + (i + 1) + "\n" + block);
                }
                i = end;
            }
        }
        assertThat(blocks).as("Java and YAML blocks found in " + pages).isGreaterThanOrEqualTo(10);
        assertThat(strays).as("blocks that are no region (tag::name[] … end::name[]) of any test source").isEmpty();
    }

    /**
     * Every region of the repository's test sources and resources, by file and name; the parts of a region that is
     * opened again after its end (to leave a check of the test out of the doc) are joined.
     */
    private static Map<String, String> regions(Path root) throws IOException {
        Map<String, List<String>> parts = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root, 12)) {
            for (Path file : (Iterable<Path>) files
                .filter((f) -> f.toString().contains("/src/test/") && !f.toString().contains("/target/"))
                .filter((f) -> f.toString().endsWith(".java") || f.toString().endsWith(".yml"))::iterator) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher tag = TAG.matcher(lines.get(i));
                    if (!tag.find()) {
                        continue;
                    }
                    int end = i + 1;
                    while (end < lines.size() && !isEnd(lines.get(end), tag.group(1))) {
                        end++;
                    }
                    assertThat(end).as("end::" + tag.group(1) + "[] in " + file).isLessThan(lines.size());
                    parts.computeIfAbsent(file + "#" + tag.group(1), (k) -> new ArrayList<>())
                        .addAll(lines.subList(i + 1, end));
                    i = end;
                }
            }
        }
        Map<String, String> regions = new LinkedHashMap<>();
        parts.forEach((name, lines) -> regions.put(name, normalize(lines)));
        return regions;
    }

    private static boolean isEnd(String line, String name) {
        Matcher end = END.matcher(line);
        return end.find() && end.group(1).equals(name);
    }

    /** The lines without their common indentation and trailing blanks. */
    static String normalize(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line.isBlank() ? "" : line.substring(indent).stripTrailing()).append('\n');
        }
        return text.toString().strip();
    }
}
