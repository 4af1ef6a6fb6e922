package io.gtcp.testing;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback address that behaves like a black-holed host: a listening socket with a backlog of one that never
 * accepts. Once its accept queue is full ({@link #fill()}), the kernel drops further SYNs, so a connect to it
 * hangs until its own timeout, as a connect to a host behind a dropping firewall does, without leaving
 * 127.0.0.1. Before it is filled it accepts connections like any server ({@link #acceptOne()}), so a test can
 * first get a working connection to the same address.
 */
public final class BlackHole implements Closeable {

    private static final int FILL_PROBE_MILLIS = 300;

    private final ServerSocket server;
    private final List<Socket> queued = new ArrayList<>();

    private BlackHole() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    /** A black hole that is already full: every connect hangs. */
    public static BlackHole full() throws IOException {
        BlackHole hole = new BlackHole();
        hole.fill();
        return hole;
    }

    /** A listening socket not yet full: connects succeed until {@link #fill()}. */
    public static BlackHole notYetFull() throws IOException {
        return new BlackHole();
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Accepts one queued connection (the test's own), so the test can play its server side. */
    public Socket acceptOne() throws IOException {
        return server.accept();
    }

    /** Connects until a connect times out: from then on the accept queue is full and connects hang. */
    public void fill() throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                        FILL_PROBE_MILLIS);
                queued.add(socket);
            } catch (SocketTimeoutException full) {
                socket.close();
                return;
            }
        }
        throw new IllegalStateException("the accept queue of " + address() + " never filled up");
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : queued) {
            socket.close();
        }
        server.close();
    }
}
