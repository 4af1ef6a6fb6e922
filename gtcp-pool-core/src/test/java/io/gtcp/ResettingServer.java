package io.gtcp;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw-socket package-protocol echo server whose first connection is reset (RST, via SO_LINGER 0) right after
 * its first reply; later connections echo until the client leaves. For testing reconnect-on-send.
 */
final class ResettingServer implements AutoCloseable {

    private final ServerSocket listener;
    private final BlockingQueue<Integer> resetPorts = new LinkedBlockingQueue<>();
    private final Thread acceptor;
    private volatile boolean first = true;

    ResettingServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "resetting-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    void awaitReset(int clientPort) throws InterruptedException {
        Integer port = resetPorts.poll(10, TimeUnit.SECONDS);
        if (port == null || port != clientPort) {
            throw new AssertionError("expected the server to reset the connection from port " + clientPort
                    + ", got " + port);
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                boolean reset = first;
                first = false;
                Thread worker = new Thread(() -> serve(socket, reset), "resetting-server-conn");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket, boolean resetAfterFirstReply) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            for (;;) {
                byte[] request = new byte[in.readUnsignedShort()];
                in.readFully(request);
                byte[] reply = PoolTestServer.reply(request);
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
                if (resetAfterFirstReply) {
                    socket.setSoLinger(true, 0);
                    int port = socket.getPort();
                    socket.close();
                    resetPorts.add(port);
                    return;
                }
            }
        } catch (EOFException clientLeft) {
            // done
        } catch (IOException e) {
            // the test sees the effect on its side
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
