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

/**
 * Runs {@code target/sample-app.jar} (the path comes from the pom's {@code sample.jar} system property) in a JVM of
 * its own, as docs/sample-app.md says to, and collects its exit status and console. One runner for the plain and the AOT
 * runs: they differ only in a JVM flag.
 */
final class SampleJar {

    private static final long PROCESS_WAIT_SECONDS = 90;

    private SampleJar() {
    }

    /** The repackaged jar, checked to exist. */
    static File file() {
        String jar = System.getProperty("sample.jar");
        assertThat(jar).as("the sample.jar system property, set by the pom").isNotBlank();
        assertThat(new File(jar)).as("the repackaged jar").isFile();
        return new File(jar);
    }

    /** Runs {@code java <jvmArgs> -jar sample-app.jar <args>} to its end, its output kept in {@code directory}. */
    static Result run(Path directory, List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", file().getPath()));
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
            return ports(1);
        }

        List<Integer> remotePorts() {
            return ports(2);
        }

        private List<Integer> ports(int group) {
            return lines.stream().map(SampleApplicationTests.REPLY::matcher).filter(Matcher::matches)
                    .map(matcher -> Integer.parseInt(matcher.group(group))).toList();
        }
    }
}
