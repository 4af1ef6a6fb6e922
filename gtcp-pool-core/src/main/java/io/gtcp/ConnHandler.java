package io.gtcp;

/**
 * Serves one accepted connection of a {@link TcpServer}. It runs on a thread of its own; when it returns or
 * throws, the server closes the connection. An exception is logged and affects no other connection.
 */
@FunctionalInterface
public interface ConnHandler {
    void handle(Conn conn) throws Exception;
}
