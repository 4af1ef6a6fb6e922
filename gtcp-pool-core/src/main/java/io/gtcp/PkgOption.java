package io.gtcp;

/**
 * Options of the package protocol: a frame is {@code [length: headerSize bytes, big-endian][payload]}.
 *
 * <p>Zero fields mean "the default": header size 2, and the largest length the header can encode
 * (255, 65535, 16777215 or 2147483647 for 1 to 4 bytes). Values are checked when the option is used, before
 * any byte is written: a header size outside 1..4, or a maximum the header cannot encode, is an
 * {@link IllegalArgumentException}. Unlike Go, a too-large {@code maxDataSize} is rejected rather than
 * silently corrupting the stream.
 *
 * @param headerSize  bytes of the length header, 1..4; 0 means 2
 * @param maxDataSize the largest payload accepted or sent; 0 means the header's largest
 * @param retry       retry of the underlying send/receive; {@code null} means none
 */
public record PkgOption(int headerSize, int maxDataSize, Retry retry) {

    /** The default header size, as in gtcp. */
    public static final int DEFAULT_HEADER_SIZE = 2;

    private static final PkgOption DEFAULTS = new PkgOption(0, 0, null);

    /** Header 2, max 65535, no retry. */
    public static PkgOption defaults() {
        return DEFAULTS;
    }

    /** The given header size with that header's largest encodable length as the maximum. */
    public static PkgOption headerSize(int headerSize) {
        return new PkgOption(headerSize, 0, null);
    }

    /** This option with another maximum payload size. */
    public PkgOption withMaxDataSize(int maxDataSize) {
        return new PkgOption(headerSize, maxDataSize, retry);
    }

    /** This option with a retry for the underlying I/O. */
    public PkgOption withRetry(Retry retry) {
        return new PkgOption(headerSize, maxDataSize, retry);
    }

    /** The header size in effect: {@link #headerSize()} or 2 when that is 0. */
    public int effectiveHeaderSize() {
        int size = headerSize == 0 ? DEFAULT_HEADER_SIZE : headerSize;
        if (size < 1 || size > 4) {
            throw new IllegalArgumentException("invalid package header size " + headerSize + ": must be 1 to 4");
        }
        return size;
    }

    /** The maximum payload in effect; rejects one the header cannot encode. */
    public int effectiveMaxDataSize() {
        int header = effectiveHeaderSize();
        long encodable = maxEncodable(header);
        if (maxDataSize == 0) {
            return (int) encodable;
        }
        if (maxDataSize < 0 || maxDataSize > encodable) {
            throw new IllegalArgumentException("invalid package max data size " + maxDataSize
                    + ": a " + header + "-byte header encodes at most " + encodable);
        }
        return maxDataSize;
    }

    /** The retry in effect: {@link #retry()} or {@link Retry#NONE}. */
    public Retry effectiveRetry() {
        return retry == null ? Retry.NONE : retry;
    }

    static long maxEncodable(int headerSize) {
        return headerSize == 4 ? Integer.MAX_VALUE : (1L << (8 * headerSize)) - 1;
    }
}
