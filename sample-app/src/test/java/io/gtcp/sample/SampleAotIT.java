package io.gtcp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.TcpServer;
import io.gtcp.sample.SampleJar.Result;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample after Spring AOT processing: the build's {@code process-aot} step compiles the application context's
 * bean definitions into the jar, and {@code -Dspring.aot.enabled=true} starts from them (it fails at start-up if they
 * are missing). The AOT build ran with the default properties (example 1, role both); the runs below choose other
 * examples and roles at run time, which work because the sample decides them in its beans, not in conditions; and
 * the named pool of the build's properties is there at run time.
 */
@Tag("jar")
@Timeout(120)
class SampleAotIT {

    private static final List<String> AOT = List.of("-Dspring.aot.enabled=true");

    @TempDir
    Path directory;

    @Test
    void theJarHoldsTheAotGeneratedInitializer() throws Exception {
        try (JarFile jar = new JarFile(SampleJar.file())) {
            String initializer = "BOOT-INF/classes/" + SampleApplication.class.getName().replace('.', '/')
                    + "__ApplicationContextInitializer.class";
            assertThat(jar.getEntry(initializer)).as("process-aot's output in the repackaged jar").isNotNull();
        }
    }

    @Test
    void exampleOneRunsFromTheAotProcessedContext() throws Exception {
        Result result = SampleJar.run(directory, AOT, "--gtcp.sample.port=0", "--gtcp.sample.count=3",
                "--gtcp.sample.interval=100ms");

        assertThat(result.exitCode()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.lines()).hasSize(3).allMatch(line -> SampleApplicationTests.REPLY.matcher(line).matches());
        assertThat(result.localPorts()).containsOnly(result.localPorts().get(0));
    }

    @Test
    void exampleTwoAndTheStarterPropertiesAreReadAtRunTime() throws Exception {
        Result result = SampleJar.run(directory, AOT, "--gtcp.sample.example=2", "--gtcp.sample.port=0",
                "--gtcp.sample.count=2", "--gtcp.sample.interval=200ms", "--gtcp.pool.validate-on-borrow=false");

        assertThat(result.exitCode()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.lines()).hasSize(2);
        assertThat(result.lines().get(0)).matches(SampleApplicationTests.REPLY);
        assertThat(result.lines().get(1)).isEqualTo("EOF");
    }

    @Test
    void theClientRoleIsChosenAtRunTime() throws Exception {
        try (TcpServer server = new TcpServer("127.0.0.1:0", SampleServer::echoEveryMessage).start()) {
            Result result = SampleJar.run(directory, AOT, "--gtcp.sample.role=client", "--gtcp.sample.count=2",
                    "--gtcp.sample.interval=50ms", "--gtcp.pool.address=127.0.0.1:" + server.port());

            assertThat(result.exitCode()).as("exit status; stderr: %s", result.err()).isZero();
            assertThat(result.lines()).hasSize(2)
                    .allMatch(line -> SampleApplicationTests.REPLY.matcher(line).matches());
            assertThat(result.remotePorts()).containsOnly(server.port());
        }
    }

    /**
     * The named pool {@code gtcp.pools.spare} of application.properties became a bean definition at build time; at
     * run time its bean is created, binds its settings (the address inherited from the port chosen at start-up, the
     * max-size given on the command line) and connects; a name first given at run time has no bean definition, so no
     * pool. The sample's pool report, enabled here, says so.
     */
    @Test
    void theNamedPoolOfTheBuildExistsAndConnectsAtRunTime() throws Exception {
        Result result = SampleJar.run(directory, AOT, "--gtcp.sample.port=0", "--gtcp.sample.count=1",
                "--gtcp.sample.interval=50ms", "--gtcp.pools.spare.max-size=2", "--gtcp.pools.extra.max-size=3",
                "--logging.level.io.gtcp.sample.SamplePoolReport=info");

        assertThat(result.exitCode()).as("exit status; stderr: %s", result.err()).isZero();
        int serverPort = result.remotePorts().get(0);
        assertThat(result.lines()).anyMatch(line -> line.matches(
                ".*pool spare \\(sparePoolConnFactory\\) max-size 2: connected 127\\.0\\.0\\.1:\\d+ 127\\.0\\.0\\.1:"
                        + serverPort));
        assertThat(result.lines()).anyMatch(line -> line.matches(
                ".*pool default \\(gtcpPoolConnFactory\\) max-size 64: connected 127\\.0\\.0\\.1:\\d+ 127\\.0\\.0\\.1:"
                        + serverPort));
        assertThat(result.lines()).as("a name added at run time gets no bean under AOT")
                .noneMatch(line -> line.contains("pool extra"));
    }

    @Test
    void exampleThreeRunsFromTheAotProcessedContext() throws Exception {
        Result result = SampleJar.run(directory, AOT, "--gtcp.sample.example=3", "--gtcp.sample.port=0",
                "--gtcp.sample.count=6", "--gtcp.sample.interval=50ms");

        assertThat(result.exitCode()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.lines()).hasSize(8);
        assertThat(result.lines().get(2)).startsWith("# stopped 127.0.0.2:");
        assertThat(result.lines().get(5)).startsWith("# restarted 127.0.0.2:");
        assertThat(result.lines().stream().filter(line -> !line.startsWith("# ")))
                .allMatch(line -> SampleGroupExampleTests.GROUP_REPLY.matcher(line).matches());
    }

    @Test
    void exampleFiveTheStartersServerRunsFromTheAotProcessedContext() throws Exception {
        Result result = SampleJar.run(directory, AOT, "--gtcp.sample.example=5", "--gtcp.sample.port=0",
                "--gtcp.sample.count=3", "--gtcp.sample.interval=50ms");

        assertThat(result.exitCode()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.lines()).hasSize(3)
                .allMatch(line -> line.matches("> \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"));
    }
}
