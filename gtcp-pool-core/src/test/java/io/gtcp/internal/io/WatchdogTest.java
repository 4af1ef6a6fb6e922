package io.gtcp.internal.io;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watchdog of the calls a socket cannot time (TLS writes, handshakes): it is woken only by a deadline earlier
 * than the wake-up it planned, yet every deadline still fires, and its thread ends with the last lease.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WatchdogTest {

    private static final Watchdog WATCHDOG = Watchdog.INSTANCE;

    @Test
    void anEarlierDeadlineWakesTheThreadAndALaterOneFiresAfterThePlannedWakeUp() throws Exception {
        CountDownLatch farFired = new CountDownLatch(1);
        CountDownLatch nearFired = new CountDownLatch(1);
        CountDownLatch laterFired = new CountDownLatch(1);
        Watchdog.Ticket far = new Watchdog.Ticket(farFired::countDown);
        Watchdog.Ticket near = new Watchdog.Ticket(nearFired::countDown);
        Watchdog.Ticket later = new Watchdog.Ticket(laterFired::countDown);
        try {
            WATCHDOG.arm(far, Deadlines.after(System.nanoTime(), TimeUnit.SECONDS.toNanos(20)));
            WATCHDOG.arm(near, Deadlines.after(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)));
            assertThat(nearFired.await(5, TimeUnit.SECONDS)).as("an earlier deadline wakes the thread").isTrue();
            assertThat(WATCHDOG.disarm(near)).as("disarmed after firing: reported as fired").isTrue();

            // the thread now plans to wake for the far deadline; a nearer one armed later must still fire
            WATCHDOG.arm(later, Deadlines.after(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(200)));
            assertThat(laterFired.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(WATCHDOG.disarm(far)).as("the far deadline was disarmed in time").isFalse();
            assertThat(farFired.getCount()).isEqualTo(1);
        } finally {
            WATCHDOG.retire(far);
            WATCHDOG.retire(near);
            WATCHDOG.retire(later);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !WATCHDOG.running());
    }

    @Test
    void aDisarmedDeadlineNeverFiresAndTheThreadEndsWithTheLastLease() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        Watchdog.Ticket ticket = new Watchdog.Ticket(fired::countDown);
        for (int i = 0; i < 100; i++) { // writes that complete: armed and disarmed at once
            WATCHDOG.arm(ticket, Deadlines.after(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
            assertThat(WATCHDOG.disarm(ticket)).isFalse();
        }
        assertThat(WATCHDOG.running()).as("a lease keeps the thread").isTrue();
        assertThat(fired.await(300, TimeUnit.MILLISECONDS)).isFalse();
        WATCHDOG.retire(ticket);
        await().atMost(Duration.ofSeconds(5)).until(() -> !WATCHDOG.running());
    }

    @Test
    void writersArmingAtOnceNeverFireACompletedCallAndAnOverdueOneStillFires() throws Exception {
        int writers = 8;
        java.util.concurrent.atomic.AtomicInteger wronglyFired = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch overdueFired = new CountDownLatch(1);
        Watchdog.Ticket overdue = new Watchdog.Ticket(overdueFired::countDown);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        java.util.List<Watchdog.Ticket> tickets = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            java.util.List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                running.add(pool.submit(() -> {
                    Watchdog.Ticket ticket = new Watchdog.Ticket(wronglyFired::incrementAndGet);
                    tickets.add(ticket);
                    for (int i = 0; i < 20_000; i++) { // each a write that completes well before its deadline
                        WATCHDOG.arm(ticket, Deadlines.after(System.nanoTime(), TimeUnit.SECONDS.toNanos(10)));
                        if (WATCHDOG.disarm(ticket)) {
                            wronglyFired.incrementAndGet();
                        }
                    }
                }));
            }
            // meanwhile one write overruns its deadline: it fires, whatever the others do
            WATCHDOG.arm(overdue, Deadlines.after(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(20)));
            assertThat(overdueFired.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(WATCHDOG.disarm(overdue)).as("reported as fired").isTrue();
            for (java.util.concurrent.Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(wronglyFired.get()).as("completed calls fired").isZero();
        } finally {
            pool.shutdownNow();
            WATCHDOG.retire(overdue);
            tickets.forEach(WATCHDOG::retire);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !WATCHDOG.running());
    }
}
