package io.gtcp;

import io.gtcp.internal.io.Deadlines;
import io.gtcp.internal.io.Dialer;
import io.gtcp.internal.io.Frames;
import io.gtcp.internal.io.Link;
import io.gtcp.internal.server.MessageGate;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;

import org.slf4j.LoggerFactory;

/**
 * One TCP connection with gtcp's I/O: raw, line, till-delimiter and package reads and writes, per-call retry,
 * deadlines and timeouts. Byte-for-byte compatible with GoFrame's {@code gtcp.Conn}.
 *
 * <p>All receive variants share one read buffer, so bytes that arrive together with a previous reply wait for
 * the next call instead of being lost. End of stream is an {@link java.io.EOFException}, a timeout a
 * {@link java.net.SocketTimeoutException}, a frame that breaks the package protocol a
 * {@link java.net.ProtocolException}; a caller error is an {@link IllegalArgumentException} thrown before
 * anything is written. No method returns null. TCP_NODELAY is on.
 *
 * <p>Time limits combine: the stored deadlines ({@link #setDeadline}), the per-operation read and write timeouts
 * of a pooled connection, and the timeout of a {@code *WithTimeout} call, which covers the whole call (send and
 * receive together) and leaves the stored deadlines as they were. A connection is meant for one thread at a
 * time.
 *
 * <p>The I/O under it ({@code io.gtcp.internal.io.Link}) costs the system calls of a bare socket: without
 * deadlines a read or a write is one blocking call; with them, a plain TCP connection turns non-blocking once and
 * a call that cannot complete at once waits on the socket with the time left, so read and write timeouts add no
 * system call when the reply is already there and need no helper thread. A write still blocked at its deadline
 * closes the connection (part of it may have gone out).
 *
 * <p>An {@link IOException} in the middle of a receive (a timeout included) leaves the position in the stream
 * unknown: bytes of a half-read message are not kept, so the connection should be closed rather than read
 * again. A pooled connection is closed by its pool for exactly that reason.
 */
public class Conn implements Closeable {

    /** gtcp's dial timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** gtcp's wait for more data in {@code recv(-1)}. */
    public static final Duration DEFAULT_BUFFER_WAIT = Duration.ofMillis(1);
    /** {@link #DEFAULT_BUFFER_WAIT} in nanoseconds: a constant, so that making a handle converts nothing. */
    private static final long DEFAULT_BUFFER_WAIT_NANOS = DEFAULT_BUFFER_WAIT.toNanos();

    Link link;
    /** Set when a receive met the end of stream before any byte of the next message: the peer closed cleanly. */
    boolean endedBetweenMessages;
    /** After a failed exchange: whether any byte of its reply had arrived (then it must never be sent again). */
    boolean replyBegun;
    private boolean closed;
    private long recvDeadline = Deadlines.NONE;
    private long sendDeadline = Deadlines.NONE;
    long bufferWaitNanos = DEFAULT_BUFFER_WAIT_NANOS;
    long readTimeoutNanos;
    long writeTimeoutNanos;
    Retry defaultRetry = Retry.NONE;
    /** A served connection's place between two messages (for a graceful shutdown); null on a client's. */
    private final MessageGate gate;

    Conn(Link link) {
        this(link, null);
    }

    Conn(Link link, MessageGate gate) {
        this.link = link;
        this.gate = gate;
    }

    /** Dials {@code "host:port"} with the default 30 s connect timeout. */
    public static Conn connect(String address) throws IOException {
        return connect(address, DEFAULT_CONNECT_TIMEOUT);
    }

    /**
     * Dials {@code "host:port"}; {@code connectTimeout} bounds the whole dial, name resolution and TCP connect
     * together (null or zero: no limit).
     */
    public static Conn connect(String address, Duration connectTimeout) throws IOException {
        return new Conn(Dialer.connect(address, Deadlines.nanos(connectTimeout, "connect timeout"), null));
    }

    /** Dials {@code "host:port"} over TLS with host name verification on and the default connect timeout. */
    public static Conn connectTls(String address, SSLContext context) throws IOException {
        return connectTls(address, context, DEFAULT_CONNECT_TIMEOUT);
    }

    /** Dials over TLS; {@code connectTimeout} bounds resolution, TCP connect and handshake together. */
    public static Conn connectTls(String address, SSLContext context, Duration connectTimeout) throws IOException {
        if (context == null) {
            throw new IllegalArgumentException("an SSLContext is required for a TLS connection");
        }
        return new Conn(Dialer.connect(address, Deadlines.nanos(connectTimeout, "connect timeout"), context));
    }

    // ------------------------------------------------------------------ raw I/O (run by RawMode)

    /** Writes {@code data}; on an error, writes it all again while the retry budget lasts. */
    public void send(byte[] data, Retry... retry) throws IOException {
        RawMode.send(this, data, Deadlines.NONE, retry);
    }

    /** {@link #send} bounded by {@code timeout}. */
    public void sendWithTimeout(byte[] data, Duration timeout, Retry... retry) throws IOException {
        RawMode.send(this, data, Deadlines.ofCall(timeout), retry);
    }

    /**
     * Receives: {@code length > 0} exactly that many bytes; {@code 0} what one read returns; {@code < 0} what is
     * available (the first read blocks, then reading goes on while data keeps coming within the buffer wait).
     */
    public byte[] recv(int length, Retry... retry) throws IOException {
        return RawMode.recv(this, length, Deadlines.NONE, retry);
    }

    /** {@link #recv} bounded by {@code timeout}. */
    public byte[] recvWithTimeout(int length, Duration timeout, Retry... retry) throws IOException {
        return RawMode.recv(this, length, Deadlines.ofCall(timeout), retry);
    }

    /** Reads up to a {@code '\n'}; the result excludes it (a {@code '\r'} before it stays). */
    public byte[] recvLine(Retry... retry) throws IOException {
        return RawMode.recvLine(this, retry);
    }

    /** Reads until the data ends with {@code til} (an exact, case-sensitive match); the result includes it. */
    public byte[] recvTill(byte[] til, Retry... retry) throws IOException {
        return RawMode.recvTill(this, til, retry);
    }

    /** {@link #send} then {@link #recv}. */
    public byte[] sendRecv(byte[] data, int receive, Retry... retry) throws IOException {
        return RawMode.sendRecv(this, data, receive, Deadlines.NONE, retry);
    }

    /** {@link #sendRecv} with one deadline over the send and the receive together. */
    public byte[] sendRecvWithTimeout(byte[] data, int receive, Duration timeout, Retry... retry)
            throws IOException {
        return RawMode.sendRecv(this, data, receive, Deadlines.ofCall(timeout), retry);
    }

    // ------------------------------------------------------------------ package protocol

    /** Sends one frame: a big-endian length header, then {@code data}, in one write. */
    public void sendPkg(byte[] data, PkgOption... option) throws IOException {
        sendPkg(data, Deadlines.NONE, option);
    }

    /** {@link #sendPkg} bounded by {@code timeout}. */
    public void sendPkgWithTimeout(byte[] data, Duration timeout, PkgOption... option) throws IOException {
        sendPkg(data, Deadlines.ofCall(timeout), option);
    }

    private void sendPkg(byte[] data, long callDeadline, PkgOption[] option) throws IOException {
        PkgOption o = option(option);
        byte[] frame = Frames.encode(data, o);
        Retry r = retry(o.retry());
        Link l = begin();
        try {
            writeFrame(l, frame, writeDeadline(callDeadline), r);
            succeeded();
        } catch (IOException e) {
            throw failed(e);
        } catch (RuntimeException | Error e) {
            escaped(e);
            throw e;
        }
    }

    /** Receives one frame; an empty frame is an empty array. */
    public byte[] recvPkg(PkgOption... option) throws IOException {
        return recvPkg(Deadlines.NONE, option);
    }

    /** {@link #recvPkg} bounded by {@code timeout}. */
    public byte[] recvPkgWithTimeout(Duration timeout, PkgOption... option) throws IOException {
        return recvPkg(Deadlines.ofCall(timeout), option);
    }

    private byte[] recvPkg(long callDeadline, PkgOption[] option) throws IOException {
        PkgOption o = option(option);
        int headerSize = o.effectiveHeaderSize();
        int max = o.effectiveMaxDataSize();
        Retry r = retry(o.retry());
        Link l = begin();
        try {
            awaitingMessage();
            byte[] frame = receiveFrame(l, headerSize, max, readDeadline(callDeadline), r);
            messageArrived();
            succeeded();
            return frame;
        } catch (IOException e) {
            throw failed(e);
        } catch (RuntimeException | Error e) {
            escaped(e);
            throw e;
        }
    }

    private byte[] receiveFrame(Link l, int headerSize, int max, long deadline, Retry r) throws IOException {
        long header;
        try {
            header = l.readUnsigned(headerSize, deadline, r);
        } catch (EOFException e) {
            endedBetweenMessages = nothingLeft(l);
            throw e;
        }
        endedBetweenMessages = false; // an end of stream from here on cuts a frame short
        int length = Frames.checkLength(header, max);
        return length == 0 ? Frames.empty() : l.readExact(length, deadline, r);
    }

    /**
     * After an end of stream while reading a header: whether no byte of it had arrived, i.e. the peer closed
     * between two frames. A partial header stays in the link's buffer, and a read of a link at its end returns
     * what is buffered or else fails at once (the stream has ended: nothing can block).
     */
    private static boolean nothingLeft(Link l) {
        try {
            l.readOnce(Deadlines.NONE, Retry.NONE);
            return false;
        } catch (IOException endOfStream) {
            return true;
        }
    }

    /** {@link #sendPkg} then {@link #recvPkg} with the same option. */
    public byte[] sendRecvPkg(byte[] data, PkgOption... option) throws IOException {
        return sendRecvPkg(data, Deadlines.NONE, option);
    }

    /** {@link #sendRecvPkg} with one deadline over the send and the receive together. */
    public byte[] sendRecvPkgWithTimeout(byte[] data, Duration timeout, PkgOption... option) throws IOException {
        return sendRecvPkg(data, Deadlines.ofCall(timeout), option);
    }

    byte[] sendRecvPkg(byte[] data, long callDeadline, PkgOption[] option) throws IOException {
        PkgOption o = option(option);
        byte[] frame = Frames.encode(data, o);
        int headerSize = o.effectiveHeaderSize();
        int max = o.effectiveMaxDataSize();
        Retry r = retry(o.retry());
        Link l = begin();
        ExchangeObserver.Exchange exchange = exchangeStarted();
        long received = -1;
        try {
            long deadline = exchangeDeadline(callDeadline);
            writeFrame(l, frame, writeDeadline(deadline), r);
            received = link.received();
            byte[] reply = receiveFrame(link, headerSize, max, readDeadline(deadline), r);
            succeeded();
            endExchange(exchange, null);
            return reply;
        } catch (IOException e) {
            replyBegun = received >= 0 && link.received() != received;
            endExchange(exchange, e);
            throw failed(e);
        } catch (RuntimeException | Error e) {
            escaped(e);
            endExchange(exchange, e);
            throw e;
        }
    }

    // ------------------------------------------------------------------ deadlines and addresses

    /** Sets the receive and the send deadline; {@code null} removes them. */
    public void setDeadline(Instant deadline) {
        long d = Deadlines.of(deadline);
        recvDeadline = d;
        sendDeadline = d;
    }

    /** Sets the receive deadline; {@code null} removes it. */
    public void setDeadlineRecv(Instant deadline) {
        recvDeadline = Deadlines.of(deadline);
    }

    /** Sets the send deadline; {@code null} removes it. */
    public void setDeadlineSend(Instant deadline) {
        sendDeadline = Deadlines.of(deadline);
    }

    /** How long {@code recv(-1)} waits for more data after a read that filled its buffer; null: 1 ms. */
    public void setBufferWaitRecv(Duration wait) {
        bufferWaitNanos = wait == null ? DEFAULT_BUFFER_WAIT_NANOS : Deadlines.nanos(wait, "buffer wait");
    }

    /** The local address; after close, the last one known. */
    public InetSocketAddress localAddress() {
        return link.localAddress();
    }

    /** The remote address; after close, the last one known. */
    public InetSocketAddress remoteAddress() {
        return link.remoteAddress();
    }

    /** Whether {@link #close()} was called (or, for a pooled connection, it went back to its pool). */
    public boolean isClosed() {
        return closed;
    }

    /** Closes the connection. A second call does nothing. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            link.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + link + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------ hooks for PoolConn

    /** The link for an operation; fails on a closed connection. */
    Link begin() throws IOException {
        if (closed) {
            throw new IOException("connection closed");
        }
        return link;
    }

    /** Records a failed operation; returns the exception to throw. */
    IOException failed(IOException e) {
        return e;
    }

    /** Records a successful operation; may still fail it (a pooled connection closed meanwhile). */
    void succeeded() throws IOException {
    }

    /** Records an operation ended by an unchecked exception or an error: the connection's state is unknown. */
    void escaped(Throwable e) {
    }

    /**
     * Tells the observer how an exchange ended. Whatever it throws is logged and ignored: thrown from here it would
     * skip the operation's bookkeeping (a pooled connection would stay "running" and its place be lost for good)
     * or fail an exchange whose reply had arrived. Nothing an observer throws may change the connection or pool.
     */
    static void endExchange(ExchangeObserver.Exchange exchange, Throwable failure) {
        try {
            exchange.end(failure);
        } catch (Throwable e) {
            observerFailed(e);
        }
    }

    /** Reports an exchange observer that threw; never throws itself. */
    static void observerFailed(Throwable e) {
        try {
            LoggerFactory.getLogger(Conn.class).warn("exchange observer threw; ignored", e);
        } catch (Throwable loggingFailed) {
            // nothing left to report it with; the connection goes on
        }
    }

    /** An exchange (sendRecv*, sendRecvPkg*) begins: a plain connection observes none. */
    ExchangeObserver.Exchange exchangeStarted() {
        return ExchangeObserver.Exchange.NONE;
    }

    /** Writes one buffer: the single write path of every send variant. */
    void writeFrame(Link l, byte[] data, long deadline, Retry retry) throws IOException {
        if (gate != null) {
            gate.sending();
        }
        l.write(data, deadline, retry);
    }

    /**
     * Before a standalone receive: on a server that is draining, a receive that would wait for a new message of
     * which nothing has arrived ends the connection instead, as a clean end of stream between two messages.
     */
    final void awaitingMessage() throws EOFException {
        if (gate != null && gate.refusesNextMessage()) {
            endedBetweenMessages = true;
            throw new EOFException("server shutting down");
        }
    }

    /** After a standalone receive: on a draining server the message may be refused (the gate closed it meanwhile). */
    final void messageArrived() throws EOFException {
        if (gate != null && !gate.received()) {
            endedBetweenMessages = true;
            throw new EOFException("server shutting down");
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The deadline of a whole exchange (sendRecv*, sendRecvPkg*): the call's own, and with a read or a write
     * timeout set, the two added up from now (an unset one counting as zero). That one budget also bounds a
     * reconnect-on-send, so a connection with only a read timeout cannot spend the connect timeout redialling.
     */
    final long exchangeDeadline(long callDeadline) {
        long budget = readTimeoutNanos + writeTimeoutNanos;
        budget = budget < 0 ? Long.MAX_VALUE : budget; // two huge timeouts: no overflow into the past
        return budget > 0 ? Math.min(callDeadline, Deadlines.after(System.nanoTime(), budget)) : callDeadline;
    }

    final long readDeadline(long callDeadline) {
        long d = Math.min(recvDeadline, callDeadline);
        return readTimeoutNanos > 0 ? Math.min(d, Deadlines.after(System.nanoTime(), readTimeoutNanos)) : d;
    }

    final long writeDeadline(long callDeadline) {
        long d = Math.min(sendDeadline, callDeadline);
        return writeTimeoutNanos > 0 ? Math.min(d, Deadlines.after(System.nanoTime(), writeTimeoutNanos)) : d;
    }


    final Retry retry(Retry[] retry) {
        return retry != null && retry.length > 0 ? retry(retry[0]) : defaultRetry;
    }

    private Retry retry(Retry retry) {
        return retry != null ? retry : defaultRetry;
    }

    private static PkgOption option(PkgOption[] option) {
        return option != null && option.length > 0 && option[0] != null ? option[0] : PkgOption.defaults();
    }
}
