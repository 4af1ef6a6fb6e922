package io.gtcp.internal.io;

import io.gtcp.PkgOption;

import java.net.ProtocolException;

/**
 * The package protocol's framing: {@code [length: headerSize bytes, unsigned big-endian][payload]}, the length
 * counting the payload only, exactly as gtcp writes it.
 */
public final class Frames {

    private static final byte[] EMPTY = new byte[0];

    private Frames() {
    }

    /**
     * Header and payload in one array, so that the frame goes out in one write. Checks the option and the size
     * first: a caller error is an {@link IllegalArgumentException} and nothing is written.
     */
    public static byte[] encode(byte[] data, PkgOption option) {
        int headerSize = option.effectiveHeaderSize();
        int max = option.effectiveMaxDataSize();
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (data.length > max) {
            throw new IllegalArgumentException("data too long for the package protocol: " + data.length
                    + " bytes, max " + max);
        }
        byte[] frame = new byte[headerSize + data.length];
        int length = data.length;
        for (int i = headerSize - 1; i >= 0; i--) {
            frame[i] = (byte) length;
            length >>>= 8;
        }
        System.arraycopy(data, 0, frame, headerSize, data.length);
        return frame;
    }

    /** Checks the payload length a header announced: over {@code max} is a {@link ProtocolException}. */
    public static int checkLength(long length, int max) throws ProtocolException {
        if (length > max) {
            throw new ProtocolException("invalid package size " + length + ": max " + max);
        }
        return (int) length;
    }

    /** The shared empty payload: an empty frame reads as an empty array, never null. */
    public static byte[] empty() {
        return EMPTY;
    }
}
