package io.gtcp.internal.io;

import io.gtcp.Retry;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import javax.net.ssl.SSLContext;

/**
 * One physical TCP (or TLS) connection and its read buffer: the machinery under {@link io.gtcp.Conn}.
 *
 * <p>The system calls and their deadlines belong to a {@link Transport}: {@link TcpTransport} for plain TCP (a
 * {@code SocketChannel} that turns non-blocking at its first deadline, so that a timed read or write costs what
 * it costs on a bare {@code java.net.Socket} with {@code SO_TIMEOUT}, and a write that would block waits with
 * its deadline instead of a watchdog thread), {@link TlsTransport} for TLS (the JDK's {@code SSLSocket}, with a
 * watchdog for what it cannot time). This class is the part both share: all reads go through one small buffer,
 * used by every receive variant, so bytes that arrive together with a previous reply are never lost. Reads larger
 * than the buffer go straight into the caller's array, and a large announced length grows its array as bytes
 * arrive instead of trusting the peer. It also carries gtcp's retry: an error other than a timeout or the end of
 * stream is retried while the call's budget lasts.
 *
 * <p>A link is opened by {@link Dialer} (a dial bounded as a whole by its deadline: resolution, TCP connect and TLS
 * handshake, {@link Resolver} doing the resolution) or, on a server, by {@link #accepted}.
 *
 * <p>A link is used by one thread at a time (its owner); {@link #close()} and {@link #abort()} may come from
 * another thread and end the owner's call in progress.
 */
public final class Link implements Closeable {

    /** Read buffer size: small, because most exchanges are small and idle pooled links keep it. */
    static final int BUFFER_SIZE = 512;
    /** The largest array allocated before the bytes to fill it have arrived. */
    static final int MAX_UNTRUSTED_ALLOCATION = 64 * 1024;

    private final Transport io;
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private int retriesLeft;
    private long retryIntervalNanos;
    /** Bytes read from the socket so far: whether any byte of a reply arrived costs one add per read. */
    private long received;
    /** Asked before each {@link Retry} repeat: the factory's retry budget, or always yes. */
    private RetryGate retryGate = RetryGate.ALWAYS;

    Link(Transport io) {
        this.io = io;
        this.buf = io.buf;
    }

    /** Wraps a connection accepted by a server; with a TLS context the handshake happens on first I/O. */
    public static Link accepted(SocketChannel channel, SSLContext tls) throws IOException {
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new Link(tls == null ? new TcpTransport(channel) : TlsTransport.accepted(channel, tls));
        } catch (IOException | RuntimeException e) {
            Transport.closeQuietly(channel);
            throw e;
        }
    }

    // ------------------------------------------------------------------ reading

    /** Exactly {@code length} bytes; end of stream first is an {@link EOFException}. */
    public byte[] readExact(int length, long deadline, Retry retry) throws IOException {
        startBudget(retry);
        byte[] dst = new byte[Math.min(length, MAX_UNTRUSTED_ALLOCATION)];
        int got = take(dst, 0, dst.length);
        while (got < length) {
            if (got == dst.length) {
                dst = Arrays.copyOf(dst, (int) Math.min(length, 2L * dst.length));
            }
            int want = Math.min(length, dst.length) - got;
            int n;
            if (pos < lim) {
                // a top-up through the buffer can leave bytes there just before the array grows: they come first
                n = take(dst, got, want);
            } else if (want >= buf.length) {
                n = readSocket(dst, got, want, deadline);
            } else {
                n = fill(deadline) < 0 ? -1 : take(dst, got, want);
            }
            if (n < 0) {
                eof = true;
                throw new EOFException("end of stream after " + got + " of " + length + " bytes");
            }
            got += n;
        }
        return dst;
    }

    /** An unsigned big-endian number of {@code size} (1..4) bytes, read through the buffer without allocating. */
    public long readUnsigned(int size, long deadline, Retry retry) throws IOException {
        startBudget(retry);
        while (lim - pos < size) {
            if (fill(deadline) < 0) {
                throw new EOFException("end of stream after " + (lim - pos) + " of " + size + " header bytes");
            }
        }
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = (value << 8) | (buf[pos++] & 0xFF);
        }
        return value;
    }

    /** One read: what is buffered, else what one read of the socket returns (blocking for at least a byte). */
    public byte[] readOnce(long deadline, Retry retry) throws IOException {
        startBudget(retry);
        if (pos == lim && fill(deadline) < 0) {
            throw new EOFException("end of stream");
        }
        return drain();
    }

    /**
     * gtcp's {@code Recv(-1)}: the first read blocks; while reads fill the whole buffer, reading goes on with a
     * short wait ({@code bufferWaitNanos}) whose expiry ends the call successfully.
     */
    public byte[] readAvailable(long deadline, long bufferWaitNanos, Retry retry) throws IOException {
        startBudget(retry);
        boolean full;
        if (pos == lim) {
            int n = fill(deadline);
            if (n < 0) {
                throw new EOFException("end of stream");
            }
            full = n == buf.length;
        } else {
            full = pos == 0 && lim == buf.length;
        }
        if (!full) {
            return drain();
        }
        Growable data = new Growable(2 * buf.length);
        data.append(buf, pos, lim - pos);
        pos = lim = 0;
        while (full) {
            long wait = Math.min(deadline, Deadlines.after(System.nanoTime(), Math.max(bufferWaitNanos, 1)));
            int n;
            try {
                n = fill(wait);
            } catch (SocketTimeoutException quiet) {
                break; // nothing more within the buffer wait: what we have is the message
            }
            if (n < 0) {
                break; // end of stream is reported by the next call
            }
            full = n == buf.length;
            data.append(buf, pos, lim - pos);
            pos = lim = 0;
        }
        return data.toArray();
    }

    /** Reads until the data ends with {@code til} (exact bytes); the result includes {@code til}. */
    public byte[] readTill(byte[] til, long deadline, Retry retry) throws IOException {
        startBudget(retry);
        byte last = til[til.length - 1];
        Growable data = null;
        for (;;) {
            if (pos == lim && fill(deadline) < 0) {
                throw new EOFException("end of stream before the delimiter, after "
                        + (data == null ? 0 : data.size) + " bytes");
            }
            for (int i = pos; i < lim; i++) {
                if (buf[i] == last && endsWith(data, i + 1, til)) {
                    int end = i + 1;
                    byte[] result;
                    if (data == null) {
                        result = Arrays.copyOfRange(buf, pos, end);
                    } else {
                        data.append(buf, pos, end - pos);
                        result = data.toArray();
                    }
                    pos = end;
                    return result;
                }
            }
            if (data == null) {
                data = new Growable(Math.max(2 * buf.length, til.length));
            }
            data.append(buf, pos, lim - pos);
            pos = lim;
        }
    }

    /** Whether {@code data + buf[pos..end)} ends with {@code til}. */
    private boolean endsWith(Growable data, int end, byte[] til) {
        int fromBuf = end - pos;
        int prefix = data == null ? 0 : data.size;
        if (fromBuf + prefix < til.length) {
            return false;
        }
        for (int k = 1; k <= til.length; k++) {
            int index = fromBuf - k;
            byte b = index >= 0 ? buf[pos + index] : data.bytes[prefix + index];
            if (b != til[til.length - k]) {
                return false;
            }
        }
        return true;
    }

    private byte[] drain() {
        byte[] result = Arrays.copyOfRange(buf, pos, lim);
        pos = lim = 0;
        return result;
    }

    private int take(byte[] dst, int off, int len) {
        int n = Math.min(lim - pos, len);
        if (n <= 0) {
            return 0;
        }
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        return n;
    }

    /** Reads more into the buffer; returns the count, or -1 at end of stream. */
    private int fill(long deadline) throws IOException {
        if (pos == lim) {
            pos = lim = 0;
        } else if (lim == buf.length) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int n = readSocket(buf, lim, buf.length - lim, deadline);
        if (n > 0) {
            lim += n;
        }
        return n;
    }

    /** One read of the socket with the deadline, retrying errors other than end of stream and timeouts. */
    private int readSocket(byte[] dst, int off, int len, long deadline) throws IOException {
        if (eof) {
            return -1;
        }
        for (;;) {
            try {
                int n = io.read(dst, off, len, deadline);
                if (n < 0) {
                    eof = true;
                } else {
                    received += n;
                }
                return n;
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                retryOrThrow(e, deadline);
            }
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code data} in one call. On an error, and while the retry budget lasts, waits and writes the whole
     * buffer again (gtcp's semantics). With a deadline, a write still blocked when it passes closes the link and
     * ends in a {@link SocketTimeoutException}.
     */
    public void write(byte[] data, long deadline, Retry retry) throws IOException {
        startBudget(retry);
        for (;;) {
            try {
                io.write(data, deadline);
                return;
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                retryOrThrow(e, deadline);
            }
        }
    }

    // ------------------------------------------------------------------ retry

    private void startBudget(Retry retry) {
        if (retry == null || retry.count() == 0) {
            retriesLeft = 0;
        } else {
            retriesLeft = retry.count();
            retryIntervalNanos = retry.interval().toNanos();
        }
    }

    private void retryOrThrow(IOException e, long deadline) throws IOException {
        if (retriesLeft <= 0 || io.closed || e instanceof EOFException || e instanceof ClosedChannelException
                || !retryGate.tryAttempt()) {
            throw e;
        }
        retriesLeft--;
        long pause = retryIntervalNanos;
        if (deadline != Deadlines.NONE) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw e;
            }
            pause = Math.min(pause, remaining);
        }
        try {
            Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw withCause(new InterruptedIOException("interrupted while waiting to retry"), e);
        }
    }

    /** Makes {@code gate} decide whether a {@link Retry} repeat may be made (a pooled link: its factory's budget). */
    public void retryGate(RetryGate gate) {
        this.retryGate = gate == null ? RetryGate.ALWAYS : gate;
    }

    /**
     * Bytes read from the socket over the link's life, whether or not a caller took them yet: a caller that reads
     * this before a receive and again after a failure knows whether any byte of the reply had arrived.
     */
    public long received() {
        return received;
    }

    /**
     * Bytes callers took from the link over its life: a caller that reads this before a read and again after its
     * end of stream knows whether the read had taken any byte (an end between two messages, or one cut short).
     */
    public long taken() {
        return received - (lim - pos);
    }

    // ------------------------------------------------------------------ health

    /** True when bytes nobody read are in the buffer or the stream has ended; no system call. */
    public boolean hasBufferedBytes() {
        return pos < lim || eof;
    }

    /** True when bytes nobody read are waiting (in the buffer or the socket) or the stream has ended. */
    public boolean hasUnreadBytes() {
        if (pos < lim || eof) {
            return true;
        }
        try {
            return io.hasUnreadBytes();
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * True when bytes of a next message have arrived (in the buffer or the socket) or the stream has ended; safe
     * to ask from another thread while the owner is blocked reading (a stale answer is possible, a wait is not).
     */
    public boolean hasArrivedBytes() {
        if (pos < lim || eof) {
            return true;
        }
        try {
            return io.socketHasBytes();
        } catch (IOException | RuntimeException e) {
            return false; // closed or failing: nothing of a next message can be lost by closing it
        }
    }

    /**
     * The borrow-time check: has the peer closed or reset this connection, or sent bytes nobody asked for? For
     * plain TCP this peeks without blocking (a non-blocking read of the channel), costing microseconds. TLS has
     * no non-blocking read, so there the check is a read with a 1 ms timeout: a timeout means healthy.
     */
    public boolean isStale() {
        if (io.closed || eof || pos < lim) {
            return true;
        }
        try {
            return io.isStale();
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    // ------------------------------------------------------------------ the rest

    public InetSocketAddress localAddress() {
        return io.local;
    }

    public InetSocketAddress remoteAddress() {
        return io.remote;
    }

    public boolean isOpen() {
        return !io.closed;
    }

    public boolean isTls() {
        return io instanceof TlsTransport;
    }

    /** Whether Nagle's algorithm is off, as every link sets it: for tests and diagnostics. */
    public boolean isTcpNoDelay() throws IOException {
        return io.isTcpNoDelay();
    }

    /** Whether the link holds a selector to wait in (a plain TCP link that waited recently): for tests. */
    boolean holdsSelector() {
        return io instanceof TcpTransport && ((TcpTransport) io).holdsSelector();
    }

    /**
     * Closes the connection: a TLS link says close_notify first, bounded to a second. Idempotent, safe from any
     * thread: a call in progress in the owner's thread ends with an exception.
     */
    @Override
    public void close() {
        io.close();
    }

    /** Closes the connection at once, without a TLS goodbye: for a link known to be broken. */
    public void abort() {
        io.abort();
    }

    @Override
    public String toString() {
        return (isTls() ? "tls " : "tcp ") + Addresses.format(io.local) + "->" + Addresses.format(io.remote);
    }

    static <T extends IOException> T withCause(T exception, Throwable cause) {
        if (cause != null) {
            exception.initCause(cause);
        }
        return exception;
    }
}
