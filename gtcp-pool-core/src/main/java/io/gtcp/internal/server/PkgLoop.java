package io.gtcp.internal.server;

import io.gtcp.Conn;
import io.gtcp.ConnHandler;
import io.gtcp.PkgHandler;
import io.gtcp.PkgOption;

/**
 * The connection loop of {@code TcpServer.ofPkg}: receive a frame, hand it to the {@link PkgHandler}, send its
 * reply as a frame, until the client closes between two requests (or the server drains). Written once here so
 * that every request → reply server ends the same way: a clean end of stream between frames is no error, a
 * handler that throws or returns null ends its connection.
 */
public final class PkgLoop implements ConnHandler {

    private final PkgHandler handler;
    private final PkgOption option;

    public PkgLoop(PkgHandler handler, PkgOption option) {
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        this.handler = handler;
        this.option = option != null ? option : PkgOption.defaults();
    }

    @Override
    public void handle(Conn conn) throws Exception {
        while (true) {
            byte[] request = conn.recvPkg(option);
            byte[] reply = handler.handle(request);
            if (reply == null) {
                throw new IllegalStateException("the PkgHandler returned null; every request needs a reply"
                        + " (an empty array sends an empty frame)");
            }
            conn.sendPkg(reply, option);
        }
    }

    @Override
    public String toString() {
        return "PkgLoop[" + handler + "]";
    }
}
