package io.gtcp.internal.io;

import io.gtcp.Retry;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One physical TCP (or TLS) connection and its read buffer: the machinery under {@link io.gtcp.Conn}.
 *
 * <p>The socket is a blocking {@link SocketChannel}, so that the pool's stale check can peek at it without
 * blocking (flip to non-blocking, read, flip back) while every ordinary read and write stays a plain blocking
 * call with a timeout. All reads go through one small buffer, shared by every receive variant, so bytes that
 * arrive together with a previous reply are never lost. Reads larger than the buffer go straight into the
 * caller's array, and a large announced length grows its array as bytes arrive instead of trusting the peer.
 *
 * <p>A link is used by one thread at a time (its owner); only {@link #close()} may come from another thread.
 */
public final class Link implements Closeable {

    /** Read buffer size: small, because most exchanges are small and idle pooled links keep it. */
    static final int BUFFER_SIZE = 512;
    /** The largest array allocated before the bytes to fill it have arrived. */
    static final int MAX_UNTRUSTED_ALLOCATION = 64 * 1024;
    /** Wait of the TLS stale check, which has no non-blocking read to use. */
    private static final int TLS_PROBE_MILLIS = 1;
    /** The longest a TLS close may spend sending close_notify before the link is aborted instead. */
    private static final long TLS_GOODBYE_NANOS = 1_000_000_000L;

    private static final VarHandle CLOSING;

    static {
        try {
            CLOSING = MethodHandles.lookup().findVarHandle(Link.class, "closing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SocketChannel channel;
    private final Socket socket;
    private final InputStream in;
    /** The TCP stream under TLS: its available() sees records the SSL layer has not read yet. */
    private final InputStream rawIn;
    private final OutputStream out;
    private final boolean tls;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;

    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int lim;
    private boolean eof;
    private int soTimeout;
    private int retriesLeft;
    private long retryIntervalNanos;
    private volatile boolean closed;
    /** Set while a write (with its retries) runs; read by {@link #close()} from other threads. */
    private volatile boolean writing;
    /** Set once by the first {@link #close()}; a field, not an AtomicBoolean: every idle link carries it. */
    @SuppressWarnings("unused") // through CLOSING
    private volatile boolean closing;

    // guarded by WriteWatchdog's lock
    long watchdogDeadline;
    boolean watchdogFired;

    private Link(SocketChannel channel, Socket socket, boolean tls) throws IOException {
        this.channel = channel;
        this.socket = socket;
        this.tls = tls;
        this.in = socket.getInputStream();
        this.rawIn = tls ? channel.socket().getInputStream() : in;
        this.out = socket.getOutputStream();
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.soTimeout = socket.getSoTimeout();
    }

    /**
     * Dials {@code address}; with a TLS context, also completes the handshake with host name verification on.
     * The connect timeout bounds the TCP connect and the handshake each.
     */
    public static Link connect(String address, long connectTimeoutNanos, SSLContext tls) throws IOException {
        return connect(address, resolve(address), connectTimeoutNanos, tls);
    }

    /** Resolves {@code "host:port"} now; a host that does not resolve is an {@link java.net.UnknownHostException}. */
    public static InetSocketAddress resolve(String address) throws java.net.UnknownHostException {
        InetSocketAddress target = Addresses.resolve(address);
        if (target.isUnresolved()) {
            throw new java.net.UnknownHostException("cannot resolve host of " + address);
        }
        return target;
    }

    /** Dials {@code target}, already resolved from {@code address} (whose host name TLS verifies). */
    public static Link connect(String address, InetSocketAddress target, long connectTimeoutNanos, SSLContext tls)
            throws IOException {
        int timeoutMillis = connectTimeoutNanos <= 0 ? 0 : toMillis(connectTimeoutNanos);
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            try {
                channel.socket().connect(target, timeoutMillis);
            } catch (SocketTimeoutException e) {
                throw withCause(new SocketTimeoutException("connect to " + address + " timed out after "
                        + timeoutMillis + " ms"), e);
            }
            if (tls == null) {
                return new Link(channel, channel.socket(), false);
            }
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory()
                    .createSocket(channel.socket(), Addresses.host(address), target.getPort(), true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(parameters);
            ssl.setUseClientMode(true);
            ssl.setSoTimeout(timeoutMillis);
            ssl.startHandshake();
            ssl.setSoTimeout(0);
            return new Link(channel, ssl, true);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Wraps a connection accepted by a server; with a TLS context the handshake happens on first I/O. */
    public static Link accepted(SocketChannel channel, SSLContext tls) throws IOException {
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (tls == null) {
                return new Link(channel, channel.socket(), false);
            }
            InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory()
                    .createSocket(channel.socket(), peer.getHostString(), peer.getPort(), true);
            ssl.setUseClientMode(false);
            return new Link(channel, ssl, true);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
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
                applyTimeout(deadline);
                int n = in.read(dst, off, len);
                if (n < 0) {
                    eof = true;
                }
                return n;
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                retryOrThrow(e, deadline);
            }
        }
    }

    private void applyTimeout(long deadline) throws IOException {
        int millis;
        if (deadline == Deadlines.NONE) {
            millis = 0;
        } else {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException("read timed out");
            }
            millis = toMillis(remaining);
        }
        if (millis != soTimeout) {
            socket.setSoTimeout(millis);
            soTimeout = millis;
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code data} in one call. On an error, and while the retry budget lasts, waits and writes the whole
     * buffer again (gtcp's semantics). With a deadline, a write still blocked when it passes closes the link.
     */
    public void write(byte[] data, long deadline, Retry retry) throws IOException {
        startBudget(retry);
        writing = true;
        try {
            if (closed) { // checked after raising the flag: a concurrent close() sees one or the other
                throw new SocketException("connection closed");
            }
            for (;;) {
                try {
                    writeOnce(data, deadline);
                    return;
                } catch (SocketTimeoutException e) {
                    throw e;
                } catch (IOException e) {
                    retryOrThrow(e, deadline);
                }
            }
        } finally {
            writing = false;
        }
    }

    private void writeOnce(byte[] data, long deadline) throws IOException {
        if (deadline == Deadlines.NONE) {
            out.write(data);
            return;
        }
        if (deadline - System.nanoTime() <= 0) {
            throw new SocketTimeoutException("write timed out");
        }
        WriteWatchdog.INSTANCE.arm(this, deadline);
        IOException failure = null;
        try {
            out.write(data);
        } catch (IOException e) {
            failure = e;
        }
        if (WriteWatchdog.INSTANCE.disarm(this)) {
            throw withCause(new SocketTimeoutException("write timed out: the peer did not read"), failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Called by the watchdog when a write overran its deadline. */
    void writeTimedOut() {
        abort();
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
        if (retriesLeft <= 0 || closed || e instanceof EOFException || e instanceof ClosedChannelException) {
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
            if (in.available() > 0) {
                return true;
            }
            // under TLS a whole record can wait in the socket unseen by the SSL layer; it may also be a
            // post-handshake message (a TLS 1.3 session ticket), so let the SSL layer read it to tell
            return tls && rawIn.available() > 0 && probeTls();
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * The borrow-time check: has the peer closed or reset this connection, or sent bytes nobody asked for? For
     * plain TCP this peeks without blocking (a non-blocking read of the channel), costing microseconds. TLS has
     * no non-blocking read, so there the check is a read with a 1 ms timeout: a timeout means healthy.
     */
    public boolean isStale() {
        if (closed || eof || pos < lim) {
            return true;
        }
        try {
            if (tls) {
                return probeTls();
            }
            channel.configureBlocking(false);
            try {
                return channel.read(ByteBuffer.wrap(buf)) != 0;
            } finally {
                channel.configureBlocking(true);
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private boolean probeTls() throws IOException {
        if (in.available() > 0) {
            return true;
        }
        int previous = soTimeout;
        socket.setSoTimeout(TLS_PROBE_MILLIS);
        try {
            in.read(buf, 0, 1);
            return true; // a byte or the end of stream: either way not a clean idle connection
        } catch (SocketTimeoutException quiet) {
            return false;
        } finally {
            if (!closed) {
                socket.setSoTimeout(previous);
            }
        }
    }

    // ------------------------------------------------------------------ the rest

    public InetSocketAddress localAddress() {
        return local;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public boolean isOpen() {
        return !closed;
    }

    public boolean isTls() {
        return tls;
    }

    /** Whether Nagle's algorithm is off, as every link sets it: for tests and diagnostics. */
    public boolean isTcpNoDelay() throws IOException {
        return channel.getOption(StandardSocketOptions.TCP_NODELAY);
    }

    /**
     * Closes the connection: a TLS link says close_notify first. Idempotent, safe from any thread.
     *
     * <p>close_notify is a write, and a blocking one: behind another thread's write to a peer that does not read
     * (the SSL engine's record lock is held), or into a full send buffer, it would block for ever. So it is
     * skipped while a write is in progress (closing the channel is what releases that writer), and otherwise the
     * write watchdog aborts the link if the goodbye takes longer than a second.
     */
    @Override
    public void close() {
        if (closed || !CLOSING.compareAndSet(this, false, true)) {
            return;
        }
        closed = true;
        if (tls && !writing) {
            WriteWatchdog.INSTANCE.arm(this, Deadlines.after(System.nanoTime(), TLS_GOODBYE_NANOS));
            try {
                socket.close();
            } catch (IOException | RuntimeException ignored) {
                // the channel is closed below in any case
            } finally {
                WriteWatchdog.INSTANCE.disarm(this);
            }
        }
        closeQuietly(channel);
    }

    /** Closes the connection at once, without a TLS goodbye: for a link known to be broken. */
    public void abort() {
        closed = true;
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return (tls ? "tls " : "tcp ") + Addresses.format(local) + "->" + Addresses.format(remote);
    }

    static int toMillis(long nanos) {
        long millis = (nanos + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }

    static <T extends IOException> T withCause(T exception, Throwable cause) {
        if (cause != null) {
            exception.initCause(cause);
        }
        return exception;
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing useful to do
        }
    }

    /** A byte array that grows as bytes arrive. */
    static final class Growable {
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
}
