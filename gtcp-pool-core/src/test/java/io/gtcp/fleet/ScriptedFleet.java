package io.gtcp.fleet;

import io.gtcp.Conn;
import io.gtcp.TcpServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Up to three package-protocol servers on 127.0.0.1, .2 and .3 (one port each, port 0), each with a scripted way of
 * answering: echo ({@code "> " + request}), take the request and close without a reply (a server that dies after
 * receiving it), send one byte of the reply then close, or never reply. Each counts the requests it took per
 * payload, so a test sees whether any request was processed twice.
 */
final class ScriptedFleet implements AutoCloseable {

    enum Answer { ECHO, CLOSE_WITHOUT_REPLY, ONE_REPLY_BYTE_THEN_CLOSE, NEVER }

    private final List<TcpServer> servers = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private final Answer[] answers;
    private final Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
    private final AtomicInteger[] taken;

    ScriptedFleet(Answer... answers) throws IOException {
        this.answers = answers.clone();
        this.taken = new AtomicInteger[answers.length];
        for (int i = 0; i < answers.length; i++) {
            int index = i;
            taken[i] = new AtomicInteger();
            TcpServer server = new TcpServer("127.0.0." + (i + 1) + ":0", conn -> serve(index, conn)).start();
            servers.add(server);
            addresses.add("127.0.0." + (i + 1) + ":" + server.port());
        }
    }

    /** An address on which nothing listens: a dial is refused at once. */
    static String refusing(int i) throws IOException {
        String ip = "127.0.0." + (i + 1);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
            return ip + ":" + s.getLocalPort();
        }
    }

    List<String> addresses() {
        return addresses;
    }

    String address(int i) {
        return addresses.get(i);
    }

    void answer(int i, Answer answer) {
        answers[i] = answer;
    }

    /** How many times any server took the request {@code payload}. */
    int processed(String payload) {
        AtomicInteger n = processed.get(payload);
        return n == null ? 0 : n.get();
    }

    /** Requests server {@code i} took. */
    int taken(int i) {
        return taken[i].get();
    }

    /** Whether any request was taken twice or more. */
    boolean anyProcessedTwice() {
        return processed.values().stream().anyMatch(n -> n.get() > 1);
    }

    private void serve(int index, Conn conn) throws IOException, InterruptedException {
        for (;;) {
            byte[] request;
            try {
                request = conn.recvPkg();
            } catch (IOException clientGone) {
                return;
            }
            taken[index].incrementAndGet();
            processed.computeIfAbsent(new String(request, StandardCharsets.UTF_8), k -> new AtomicInteger())
                    .incrementAndGet();
            switch (answers[index]) {
                case ECHO -> {
                    byte[] reply = new byte[request.length + 2];
                    reply[0] = '>';
                    reply[1] = ' ';
                    System.arraycopy(request, 0, reply, 2, request.length);
                    conn.sendPkg(reply);
                }
                case CLOSE_WITHOUT_REPLY -> {
                    return; // TcpServer closes the connection
                }
                case ONE_REPLY_BYTE_THEN_CLOSE -> {
                    conn.send(new byte[]{0});
                    return;
                }
                case NEVER -> {
                    try {
                        conn.recvPkg(); // until the client gives up and closes
                    } catch (IOException clientGone) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        for (TcpServer s : servers) {
            s.close();
        }
    }
}
