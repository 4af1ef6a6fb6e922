package io.gtcp.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What the code logs, as slf4j-simple prints it: the tests run with slf4j-simple, which writes to whatever
 * {@link System#err} is when it logs (it does not cache the stream), so replacing {@code System.err} for the
 * duration of a test captures the log lines exactly as a user sees them. Closing puts the old stream back.
 */
public final class CapturedLog implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private CapturedLog() {
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    public static CapturedLog start() {
        return new CapturedLog();
    }

    /** The lines logged so far. */
    public List<String> lines() {
        String text;
        synchronized (bytes) { // ByteArrayOutputStream's own lock: no write is half-way through
            text = bytes.toString(StandardCharsets.UTF_8);
        }
        return Arrays.asList(text.split("\\R"));
    }

    /** The lines logged so far that contain {@code text}. */
    public List<String> linesContaining(String text) {
        return lines().stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
        original.print(bytes.toString(StandardCharsets.UTF_8)); // keep them in the test's output too
    }
}
