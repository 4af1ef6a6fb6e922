package io.gtcp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code target/sample-app.jar} as the README says to, in a JVM of its own: the process must print its
 * exchanges in the seed's format and exit with status 0 after {@code gtcp.sample.count} of them.
 */
@Timeout(120)
class SampleJarIT {

    private static final long PROCESS_WAIT_SECONDS = 90;

    @TempDir
    Path directory;

    @Test
    void exampleTwoPrintsFourRepliesFromFourConnectionsAndExitsZero() throws Exception {
        Result result = runJar("--gtcp.sample.example=2", "--gtcp.sample.port=0", "--gtcp.sample.count=4",
                "--gtcp.sample.interval=700ms");

        assertThat(result.exitCode()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.lines()).hasSize(4)
                .allMatch(line -> SampleApplicationTests.REPLY.matcher(line).matches());
        assertThat(result.localPorts()).doesNotHaveDuplicates();
    }

    @Test
    void exampleOnePrintsRepliesFromOneConnectionAndExitsZero() throws Exception {
        Result result = runJar("--gtcp.sample.port=0", "--gtcp.sample.count=3", "--gtcp.sample.interval=100ms");

        assertThat(result.exitCode()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.lines()).hasSize(3)
                .allMatch(line -> SampleApplicationTests.REPLY.matcher(line).matches());
        assertThat(result.localPorts()).containsOnly(result.localPorts().get(0));
    }

    private Result runJar(String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("sample.jar");
        assertThat(jar).as("the sample.jar system property, set by the pom").isNotBlank();
        assertThat(new File(jar)).as("the repackaged jar").isFile();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
        command.addAll(List.of(args));
        File out = directory.resolve("out.txt").toFile();
        File err = directory.resolve("err.txt").toFile();
        Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
        try {
            assertThat(process.waitFor(PROCESS_WAIT_SECONDS, TimeUnit.SECONDS)).as("the sample exited").isTrue();
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readAllLines(out.toPath()), Files.readString(err.toPath()));
    }

    record Result(int exitCode, List<String> lines, String err) {

        List<Integer> localPorts() {
            return lines.stream().map(SampleApplicationTests.REPLY::matcher).filter(Matcher::matches)
                    .map(matcher -> Integer.parseInt(matcher.group(1))).toList();
        }
    }
}
