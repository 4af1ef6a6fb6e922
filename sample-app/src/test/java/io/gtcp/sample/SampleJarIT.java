package io.gtcp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.sample.SampleJar.Result;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code target/sample-app.jar} as docs/sample-app.md says to, in a JVM of its own: the process must print its
 * exchanges in the format of gtcp's documentation and exit with status 0 after {@code gtcp.sample.count} of them.
 */
@Tag("jar")
@Timeout(120)
class SampleJarIT {

    @TempDir
    Path directory;

    @Test
    void exampleTwoPrintsFourRepliesFromFourConnectionsAndExitsZero() throws Exception {
        Result result = SampleJar.run(directory, List.of(), "--gtcp.sample.example=2", "--gtcp.sample.port=0",
                "--gtcp.sample.count=4", "--gtcp.sample.interval=700ms");

        assertThat(result.exitCode()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.lines()).hasSize(4)
                .allMatch(line -> SampleApplicationTests.REPLY.matcher(line).matches());
        assertThat(result.localPorts()).doesNotHaveDuplicates();
    }

    @Test
    void exampleOnePrintsRepliesFromOneConnectionAndExitsZero() throws Exception {
        Result result = SampleJar.run(directory, List.of(), "--gtcp.sample.port=0", "--gtcp.sample.count=3",
                "--gtcp.sample.interval=100ms");

        assertThat(result.exitCode()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.lines()).hasSize(3)
                .allMatch(line -> SampleApplicationTests.REPLY.matcher(line).matches());
        assertThat(result.localPorts()).containsOnly(result.localPorts().get(0));
    }
}
