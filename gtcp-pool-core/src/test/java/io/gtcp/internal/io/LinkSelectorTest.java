package io.gtcp.internal.io;

import io.gtcp.Retry;
import io.gtcp.testing.RawPeer;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The selector a plain TCP link waits in (see {@link TcpTransport}): only a link that had to wait for a deadline
 * holds one, and an idle link gives it back at its stale check, so the memory of a selector stays with the links
 * in use.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkSelectorTest {

    private static final long FIVE_SECONDS = TimeUnit.SECONDS.toNanos(5);

    /** Answers each request byte with the same byte, 50 ms later, so that a read of the answer has to wait. */
    private static RawPeer slowEcho() throws java.io.IOException {
        return RawPeer.start(socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (int b; (b = in.read()) >= 0; ) {
                Thread.sleep(50); // paces the scripted slow peer
                out.write(b);
                out.flush();
            }
        });
    }

    @Test
    void aLinkWithoutDeadlinesNeverHoldsASelector() throws Exception {
        try (RawPeer peer = slowEcho(); Link link = Dialer.connect(peer.address(), FIVE_SECONDS, null)) {
            link.write(new byte[] {7}, Deadlines.NONE, Retry.NONE);
            assertThat(link.readExact(1, Deadlines.NONE, Retry.NONE)).containsExactly(7);
            assertThat(link.holdsSelector()).isFalse();
            assertThat(link.isStale()).isFalse();
        }
    }

    @Test
    void aTimedWaitMakesASelectorAndTheStaleCheckOfTheIdleLinkGivesItBack() throws Exception {
        try (RawPeer peer = slowEcho(); Link link = Dialer.connect(peer.address(), FIVE_SECONDS, null)) {
            exchange(link, 1);
            assertThat(link.holdsSelector()).as("the reply came 50 ms later: the read waited").isTrue();

            assertThat(link.isStale()).isFalse();
            assertThat(link.holdsSelector()).isFalse();

            exchange(link, 2);
            assertThat(link.holdsSelector()).as("made again by the next wait").isTrue();
            exchange(link, 3);
        }
    }

    @Test
    void aClosedLinkHoldsNoSelector() throws Exception {
        RawPeer peer = slowEcho();
        try (peer) {
            Link link = Dialer.connect(peer.address(), FIVE_SECONDS, null);
            exchange(link, 1);
            assertThat(link.holdsSelector()).isTrue();
            link.close();
            assertThat(link.holdsSelector()).isFalse();
            assertThat(link.isStale()).isTrue();
        }
    }

    private static void exchange(Link link, int value) throws Exception {
        long deadline = Deadlines.after(System.nanoTime(), FIVE_SECONDS);
        link.write(new byte[] {(byte) value}, deadline, Retry.NONE);
        assertThat(link.readExact(1, deadline, Retry.NONE)).containsExactly(value);
    }
}
