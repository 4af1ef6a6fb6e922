package io.gtcp.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes what a test opened, last opened first, even when the test fails; use it as an
 * {@code @AutoClose} field and wrap each server or pool in {@link #using}.
 */
public final class Closer implements AutoCloseable {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Registers {@code resource} to be closed after the test; returns it. */
    public <T extends AutoCloseable> T using(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
