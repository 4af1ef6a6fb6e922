package io.gtcp.bench;

import io.gtcp.Gtcp;

/**
 * {@code connect}: a new connection for every exchange, with gtcp's own one-shot helper
 * ({@link Gtcp#sendRecvPkg}): what code without a pool does. Every exchange pays a TCP handshake, a thread start
 * on the server and a close; it also burns an ephemeral port, which is why it stops at 16 threads.
 */
final class ConnectContender implements Contender {

    private final String address;

    ConnectContender(String address) {
        this.address = address;
    }

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public Worker newWorker() {
        return payload -> Gtcp.sendRecvPkg(address, payload);
    }

    @Override
    public void close() {
    }
}
