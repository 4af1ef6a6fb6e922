package io.gtcp.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What this JVM holds right now that a leak would make grow: open file descriptors (every socket is one) and
 * live threads. Linux only, as {@code /proc/self/fd} is.
 *
 * @param fileDescriptors entries of {@code /proc/self/fd} (the listing's own descriptor included, every time)
 * @param threads         live Java threads
 */
record ProcessResources(long fileDescriptors, int threads) {

    static ProcessResources now() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return new ProcessResources(fds.count(), ManagementFactory.getThreadMXBean().getThreadCount());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether nothing has grown since {@code baseline}. */
    boolean atMost(ProcessResources baseline) {
        return fileDescriptors <= baseline.fileDescriptors && threads <= baseline.threads;
    }
}
