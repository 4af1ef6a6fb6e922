package io.gtcp;

import io.gtcp.internal.io.Deadlines;
import io.gtcp.internal.io.Link;

import java.io.EOFException;
import java.io.IOException;

/**
 * gtcp's raw mode on a {@link Conn}: bytes sent as they are, and receives whose length says how much to read
 * ({@code > 0} exactly that many bytes, {@code 0} what one read returns, {@code < 0} what is available), up to a
 * delimiter, or a line. GoFrame keeps these in their own file beside the package protocol, and so does this port:
 * {@link Conn} holds the public methods (each one line into here), the package protocol and what every operation
 * shares (its hooks, deadlines and retry), so that the two ways of talking over a connection each read as one
 * piece.
 *
 * <p>The operations run exactly as they would as methods of {@code Conn}: static methods over the connection,
 * calling the same hooks ({@link PoolConn} overrides them), with nothing allocated for the call itself.
 */
final class RawMode {

    private static final byte[] NEWLINE = {'\n'};

    private RawMode() {
    }

    /** {@link Conn#send}: writes {@code data}; on an error, writes it all again while the retry budget lasts. */
    static void send(Conn c, byte[] data, long callDeadline, Retry[] retry) throws IOException {
        requireData(data);
        Retry r = c.retry(retry);
        Link l = c.begin();
        try {
            c.writeFrame(l, data, c.writeDeadline(callDeadline), r);
            c.succeeded();
        } catch (IOException e) {
            throw c.failed(e);
        } catch (RuntimeException | Error e) {
            c.escaped(e);
            throw e;
        }
    }

    /** {@link Conn#recv}: receives as {@code length} says. */
    static byte[] recv(Conn c, int length, long callDeadline, Retry[] retry) throws IOException {
        Retry r = c.retry(retry);
        Link l = c.begin();
        long taken = l.taken();
        try {
            c.awaitingMessage();
            byte[] data = receive(c, l, length, c.readDeadline(callDeadline), r);
            c.messageArrived();
            c.succeeded();
            return data;
        } catch (EOFException e) {
            // the stream ended between two messages if this read took no byte of one (a read of any length)
            c.endedBetweenMessages = length <= 0 || l.taken() == taken;
            throw c.failed(e);
        } catch (IOException e) {
            throw c.failed(e);
        } catch (RuntimeException | Error e) {
            c.escaped(e);
            throw e;
        }
    }

    private static byte[] receive(Conn c, Link l, int length, long deadline, Retry r) throws IOException {
        if (length > 0) {
            return l.readExact(length, deadline, r);
        }
        if (length == 0) {
            return l.readOnce(deadline, r);
        }
        return l.readAvailable(deadline, c.bufferWaitNanos, r);
    }

    /** {@link Conn#recvLine}: up to a {@code '\n'}, without it (a {@code '\r'} before it stays). */
    static byte[] recvLine(Conn c, Retry[] retry) throws IOException {
        byte[] line = c.recvTill(NEWLINE, retry);
        return java.util.Arrays.copyOf(line, line.length - 1);
    }

    /** {@link Conn#recvTill}: until the data ends with {@code til} (an exact, case-sensitive match), included. */
    static byte[] recvTill(Conn c, byte[] til, Retry[] retry) throws IOException {
        if (til == null || til.length == 0) {
            throw new IllegalArgumentException("recvTill needs a non-empty delimiter");
        }
        Retry r = c.retry(retry);
        Link l = c.begin();
        try {
            c.awaitingMessage();
            byte[] data = l.readTill(til, c.readDeadline(Deadlines.NONE), r);
            c.messageArrived();
            c.succeeded();
            return data;
        } catch (IOException e) {
            throw c.failed(e);
        } catch (RuntimeException | Error e) {
            c.escaped(e);
            throw e;
        }
    }

    /**
     * {@link Conn#sendRecv}: an exchange, {@link #send} then {@link #recv} under one deadline. After a failure,
     * {@link Conn#replyBegun} says whether any byte of the reply had arrived.
     */
    static byte[] sendRecv(Conn c, byte[] data, int receive, long callDeadline, Retry[] retry) throws IOException {
        requireData(data);
        Retry r = c.retry(retry);
        Link l = c.begin();
        ExchangeObserver.Exchange exchange = c.exchangeStarted();
        long received = -1;
        try {
            long deadline = c.exchangeDeadline(callDeadline);
            c.writeFrame(l, data, c.writeDeadline(deadline), r);
            received = c.link.received();
            byte[] reply = receive(c, c.link, receive, c.readDeadline(deadline), r);
            c.succeeded();
            Conn.endExchange(exchange, null);
            return reply;
        } catch (IOException e) {
            c.replyBegun = received >= 0 && c.link.received() != received;
            Conn.endExchange(exchange, e);
            throw c.failed(e);
        } catch (RuntimeException | Error e) {
            c.escaped(e);
            Conn.endExchange(exchange, e);
            throw e;
        }
    }

    private static void requireData(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
    }
}
