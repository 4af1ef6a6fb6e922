package io.gtcp.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * Plain TCP I/O with deadlines at the system-call cost of a bare {@link java.net.Socket}.
 *
 * <p><b>Why not the socket adaptor.</b> A timed read through {@code SocketChannel.socket()} on JDK 17 switches the
 * socket to non-blocking and back around every read: four {@code fcntl} calls per timed read. And a blocking
 * write has no timeout at all, so write deadlines needed a watchdog thread (a global lock, a condition, a wake-up)
 * on every write. {@code java.net.Socket} (NioSocketImpl) avoids the mode switches by making its socket
 * non-blocking for good at the first timed read, then reading, and only when nothing is there, waiting in
 * {@code poll} with the remaining time. That is what this class does, with the only public waiting primitive the
 * JDK has for a channel: a {@link Selector}.
 *
 * <p><b>Two modes.</b> A link starts blocking: with no deadline a read or a write is one system call that blocks
 * in the kernel, as on a plain socket without {@code SO_TIMEOUT}. The first read or write with a deadline makes
 * the channel non-blocking for the rest of its life (two {@code fcntl} calls, once). From then on a read or a
 * write is one system call when it can complete at once; when it cannot, the thread waits in the link's selector
 * ({@code epoll_wait}) with the remaining time and tries again. A reply that is already there costs one
 * {@code read}; one that is not costs {@code read}, {@code epoll_wait}, {@code read}, exactly like a socket with
 * {@code SO_TIMEOUT}. A write that fits the socket buffer costs one {@code write} and involves no other thread;
 * only a write that would block waits, with its deadline, and passing it aborts the link (part of a frame may
 * have gone out). The stale check of an idle connection is a plain non-blocking read in that mode, and in
 * blocking mode a switch to non-blocking and back around one read, as before. Measured with {@code strace -c}
 * over a pooled exchange with read and write timeouts: 10 system calls before (4 {@code fcntl}, 3 {@code futex}),
 * 3 now, the same as without timeouts (write, read, and the pool's return-time {@code FIONREAD}).
 *
 * <p><b>Why a selector per link.</b> The key stays registered with the link's own selector, so waiting never
 * changes a registration ({@code epoll_ctl} once per selector, not per wait), no thread ever sees another link's
 * readiness, and closing the link closes its selector first, so the socket's file descriptor is released at once
 * (a channel registered with a selector that is not selecting would keep its descriptor open). A selector per
 * thread would save memory, but a pooled connection moves between threads, which would mean re-registering on
 * many waits and sockets whose descriptors stay open until some other thread selects again. A selector costs two
 * descriptors (epoll and eventfd), about 12 KB of native memory (the JDK's event array) and 0.4 KB of heap, so
 * only a link that must wait has one: it is made on the first wait, and an idle link gives it back at its stale
 * check (idle 500 ms or more: no longer a hot link), to make it again on its next wait. Links without deadlines
 * never have one.
 *
 * <p><b>Virtual threads</b> must not wait in {@code Selector.select}, which holds a monitor (pinning its carrier on
 * JDK 21 to 23): on a virtual thread the link goes back to blocking mode and uses the adaptor, whose waits the
 * JDK hands to its poller, with the {@link Watchdog} for timed writes. On JDK 17 there are no virtual threads.
 *
 * <p>{@link #close()} may come from any thread: it closes the selector, which wakes a waiting owner, then the
 * channel. A thread interrupted while waiting closes the link, as an interrupted blocking channel call does.
 */
final class TcpTransport extends Transport {

    /** {@code Thread.isVirtual()} where the JDK has it (21+), else null. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    private static final Consumer<SelectionKey> IGNORE = key -> { };

    private final SocketChannel channel;
    private final ByteBuffer bufView;
    private boolean nonBlocking;
    private volatile Selector selector;
    private SelectionKey key;
    private InputStream adaptorIn;
    private volatile Watchdog.Ticket ticket;

    TcpTransport(SocketChannel channel) throws IOException {
        super((InetSocketAddress) channel.getLocalAddress(), (InetSocketAddress) channel.getRemoteAddress());
        this.channel = channel;
        this.bufView = ByteBuffer.wrap(buf);
    }

    // ------------------------------------------------------------------ read and write

    @Override
    int read(byte[] dst, int off, int len, long deadline) throws IOException {
        if (onVirtualThread()) {
            return readOnVirtualThread(dst, off, len, deadline);
        }
        ByteBuffer target = view(dst, off, len);
        if (deadline != Deadlines.NONE) {
            checkNotPassed(deadline, "read"); // as in Go: a deadline in the past fails even with data there
        }
        if (!nonBlocking) {
            if (deadline == Deadlines.NONE) {
                return channel.read(target); // blocks in the kernel: at least one byte or the end of stream
            }
            goNonBlocking();
        }
        for (;;) {
            int n = channel.read(target);
            if (n != 0) {
                return n;
            }
            await(SelectionKey.OP_READ, deadline, "read");
        }
    }

    @Override
    void write(byte[] data, long deadline) throws IOException {
        if (onVirtualThread()) {
            writeOnVirtualThread(data, deadline);
            return;
        }
        ByteBuffer src = ByteBuffer.wrap(data);
        if (deadline != Deadlines.NONE) {
            checkNotPassed(deadline, "write");
        }
        if (!nonBlocking) {
            if (deadline == Deadlines.NONE) {
                while (src.hasRemaining()) {
                    channel.write(src); // blocks in the kernel until the socket took it
                }
                return;
            }
            goNonBlocking();
        }
        for (;;) {
            channel.write(src);
            if (!src.hasRemaining()) {
                return;
            }
            try {
                await(SelectionKey.OP_WRITE, deadline, "write");
            } catch (SocketTimeoutException e) {
                abort(); // part of the data may have gone out: the stream is no longer in step
                throw new SocketTimeoutException("write timed out: the peer did not read "
                        + src.remaining() + " of " + data.length + " bytes in time");
            }
        }
    }

    private static void checkNotPassed(long deadline, String what) throws SocketTimeoutException {
        if (deadline - System.nanoTime() <= 0) {
            throw new SocketTimeoutException(what + " timed out");
        }
    }

    /** The link's buffer through its permanent view; another array (a large read) through a new one. */
    private ByteBuffer view(byte[] dst, int off, int len) {
        if (dst == buf) {
            bufView.limit(off + len).position(off);
            return bufView;
        }
        return ByteBuffer.wrap(dst, off, len);
    }

    /** Waits until the channel is ready for {@code ops} or the deadline passes (a {@link SocketTimeoutException}). */
    private void await(int ops, long deadline, String what) throws IOException {
        long millis = 0;
        if (deadline != Deadlines.NONE) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException(what + " timed out");
            }
            millis = Deadlines.toMillis(remaining);
        }
        try {
            Selector s = selector();
            SelectionKey k = key;
            if (k == null) {
                key = channel.register(s, ops);
            } else if (k.interestOps() != ops) {
                k.interestOps(ops);
            }
            s.select(IGNORE, millis);
        } catch (ClosedSelectorException | CancelledKeyException closedMeanwhile) {
            throw new AsynchronousCloseException();
        }
        if (closed) {
            throw new AsynchronousCloseException();
        }
        if (Thread.currentThread().isInterrupted()) {
            abort();
            throw new ClosedByInterruptException();
        }
    }

    private Selector selector() throws IOException {
        Selector s = selector;
        if (s == null) {
            s = Selector.open();
            selector = s;
            if (closed) { // a concurrent close() may have looked for the selector before it was there
                closeQuietly(s);
                throw new AsynchronousCloseException();
            }
        }
        return s;
    }

    private void goNonBlocking() throws IOException {
        channel.configureBlocking(false);
        nonBlocking = true;
    }

    // ------------------------------------------------------------------ virtual threads

    private int readOnVirtualThread(byte[] dst, int off, int len, long deadline) throws IOException {
        goBlocking();
        int millis = 0;
        if (deadline != Deadlines.NONE) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException("read timed out");
            }
            millis = Deadlines.toMillis(remaining);
        }
        channel.socket().setSoTimeout(millis); // stored by the adaptor: no system call
        return adaptorIn().read(dst, off, len);
    }

    private void writeOnVirtualThread(byte[] data, long deadline) throws IOException {
        goBlocking();
        ByteBuffer src = ByteBuffer.wrap(data);
        if (deadline == Deadlines.NONE) {
            while (src.hasRemaining()) {
                channel.write(src);
            }
            return;
        }
        if (deadline - System.nanoTime() <= 0) {
            throw new SocketTimeoutException("write timed out");
        }
        if (ticket == null) {
            ticket = new Watchdog.Ticket(this::abort);
        }
        Watchdog.INSTANCE.arm(ticket, deadline);
        IOException failure = null;
        try {
            while (src.hasRemaining()) {
                channel.write(src);
            }
        } catch (IOException e) {
            failure = e;
        }
        boolean fired = Watchdog.INSTANCE.disarm(ticket);
        if (closed) {
            Watchdog.INSTANCE.retire(ticket); // close() may have run before the ticket was there to retire
        }
        if (fired) {
            throw Link.withCause(new SocketTimeoutException("write timed out: the peer did not read"), failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Back to blocking mode for a virtual thread: the key must leave the selector first. */
    private void goBlocking() throws IOException {
        if (!nonBlocking) {
            return;
        }
        SelectionKey k = key;
        if (k != null) {
            key = null;
            k.cancel();
            try {
                selector().selectNow(); // deregisters the cancelled key
            } catch (ClosedSelectorException closedMeanwhile) {
                throw new AsynchronousCloseException();
            }
        }
        channel.configureBlocking(true);
        nonBlocking = false;
    }

    private InputStream adaptorIn() throws IOException {
        if (adaptorIn == null) {
            adaptorIn = channel.socket().getInputStream();
        }
        return adaptorIn;
    }

    private static boolean onVirtualThread() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable impossible) {
            return false;
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException beforeJdk21) {
            return null;
        }
    }

    // ------------------------------------------------------------------ health and close

    @Override
    boolean hasUnreadBytes() throws IOException {
        return adaptorIn().available() > 0; // FIONREAD: the same in either mode
    }

    @Override
    boolean socketHasBytes() throws IOException {
        return hasUnreadBytes();
    }

    @Override
    boolean isStale() throws IOException {
        ByteBuffer peek = bufView.clear();
        if (nonBlocking) {
            boolean stale = channel.read(peek) != 0;
            releaseSelector(); // idle: the memory of a selector is for links in use
            return stale;
        }
        channel.configureBlocking(false);
        try {
            return channel.read(peek) != 0;
        } finally {
            channel.configureBlocking(true);
        }
    }

    /** Closes the selector of an idle link (its key goes with it); the next wait makes a new one. */
    private void releaseSelector() {
        Selector s = selector;
        if (s != null) {
            selector = null;
            key = null;
            closeQuietly(s);
        }
    }

    /** Whether the link holds a selector now: for tests and diagnostics. */
    boolean holdsSelector() {
        return selector != null;
    }

    @Override
    boolean isTcpNoDelay() throws IOException {
        return channel.getOption(StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    void close() {
        abort();
    }

    /** The selector first: that wakes a waiting owner and lets the channel release its descriptor at once. */
    @Override
    void abort() {
        closed = true;
        Selector s = selector;
        if (s != null) {
            selector = null;
            closeQuietly(s);
        }
        closeQuietly(channel);
        Watchdog.Ticket t = ticket;
        if (t != null) {
            Watchdog.INSTANCE.retire(t);
        }
    }
}
