package io.gtcp;

/**
 * Serves one request of the package protocol with one reply: the common request → reply server of
 * {@link TcpServer#ofPkg}, without writing the receive/send loop. It runs on the connection's own thread, one
 * request at a time per connection.
 *
 * <p>The reply is sent as one frame with the server's {@link PkgOption}; an empty array sends an empty frame. A
 * handler that throws, or returns null, ends that connection (logged at WARN): its client sees the connection
 * close instead of a reply, and no other connection is affected.
 */
@FunctionalInterface
public interface PkgHandler {
    byte[] handle(byte[] request) throws Exception;
}
