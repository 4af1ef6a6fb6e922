package io.gtcp.testing;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Byte-array shorthands for tests: ASCII text, hex literals ({@code "00 05 68"}), patterned payloads. */
public final class Bytes {

    private Bytes() {
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Hex digits, spaces ignored: {@code hex("00 05")} is {@code {0, 5}}. */
    public static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits.replace(" ", ""));
    }

    /** {@code length} bytes cycling through 0..250, so that a shifted or truncated copy never looks equal. */
    public static byte[] pattern(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i % 251);
        }
        return data;
    }

    /** Concatenation. */
    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
