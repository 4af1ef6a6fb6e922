package io.gtcp.chaos;

import io.gtcp.CloseReason;
import io.gtcp.PoolListener;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records what a pool did with its connections: why it closed each one, and which dials failed. The pool calls
 * its listeners on the thread that caused the event, so once {@code close()} or {@code get()} has returned, its
 * events are here: no waiting needed.
 */
final class PoolEvents implements PoolListener {

    final Queue<CloseReason> closed = new ConcurrentLinkedQueue<>();
    final Queue<IOException> dialFailures = new ConcurrentLinkedQueue<>();

    @Override
    public void connectionClosed(String address, CloseReason reason) {
        closed.add(reason);
    }

    @Override
    public void connectionFailed(String address, IOException cause) {
        dialFailures.add(cause);
    }
}
