package io.gtcp.internal.io;

import java.util.Arrays;

/**
 * A byte array that grows as bytes arrive: how {@link Link} collects a message of unknown or untrusted length
 * without allocating for a length the peer only announced.
 */
final class Growable {
    byte[] bytes;
    int size;

    Growable(int capacity) {
        bytes = new byte[capacity];
    }

    void append(byte[] src, int off, int len) {
        if (size + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + len, 2 * bytes.length));
        }
        System.arraycopy(src, off, bytes, size, len);
        size += len;
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, size);
    }
}
