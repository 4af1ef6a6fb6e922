package io.gtcp.bench;

import java.io.Closeable;
import java.io.IOException;

/**
 * One way of doing the benchmark's exchange (send a frame, receive the reply) against the echo server. A contender
 * is opened once per thread count and kept across rounds, like a pool lives across requests in an application;
 * each worker thread of a round gets its own {@link Worker}, created before the clock starts.
 */
public interface Contender extends Closeable {

    /** The name in the results: {@code raw}, {@code connect}, {@code gtcp}, ... */
    String name();

    /** A worker for one thread; whatever it opens is closed by {@link Worker#close()}. */
    Worker newWorker() throws Exception;

    @Override
    void close();

    /** The exchange as one thread does it. */
    interface Worker extends Closeable {

        /** Sends {@code payload} as one package and returns the reply's payload. */
        byte[] exchange(byte[] payload) throws Exception;

        @Override
        default void close() throws IOException {
        }
    }
}
