package io.gtcp.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.RetryBudget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The retry budget's rule: ratio × the window's calls plus minPerSecond accruing as a rate, never a burst. */
@Timeout(30)
class RetryAllowanceTest {

    private static int attemptsAllowed(RetryAllowance allowance, int tries) {
        int allowed = 0;
        for (int i = 0; i < tries; i++) {
            if (allowance.tryAttempt()) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void attemptsStayWithinTheRatioOfTheCallsMade() {
        RetryAllowance allowance = new RetryAllowance(new RetryBudget(0.2, 0, Duration.ofSeconds(10)));
        for (int i = 0; i < 100; i++) {
            allowance.deposit();
        }

        assertThat(attemptsAllowed(allowance, 1_000)).isEqualTo(20);
        assertThat(allowance.attempted()).isEqualTo(20);
        assertThat(allowance.refused()).isEqualTo(980);

        for (int i = 0; i < 10; i++) {
            allowance.deposit();
        }
        assertThat(attemptsAllowed(allowance, 10)).as("10 more calls earn 2 more attempts").isEqualTo(2);
    }

    @Test
    void depositsOfConcurrentThreadsOnTheirOwnStripesAreAllCounted() throws InterruptedException {
        RetryAllowance allowance = new RetryAllowance(new RetryBudget(0.5, 0, Duration.ofSeconds(30)));
        int threads = Math.min(4, RetryAllowance.STRIPES);
        int each = 25_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> depositors = new ArrayList<>();
        Set<Integer> stripes = new HashSet<>();
        while (depositors.size() < threads) { // thread ids are assigned at construction: keep one per stripe
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    allowance.deposit();
                }
            });
            if (stripes.add(RetryAllowance.stripe(t.getId()))) {
                depositors.add(t);
            }
        }
        depositors.forEach(Thread::start);
        go.countDown();
        for (Thread t : depositors) {
            t.join(20_000);
            assertThat(t.isAlive()).isFalse();
        }

        int calls = threads * each;
        assertThat(attemptsAllowed(allowance, calls)).as("half of %s calls", calls).isEqualTo(calls / 2);
    }

    @Test
    void thePerSecondFloorIsARateNotABurstAtStart() {
        RetryAllowance allowance = new RetryAllowance(new RetryBudget(0, 10, Duration.ofSeconds(10)));
        long start = System.nanoTime();

        int allowed = attemptsAllowed(allowance, 1_000);

        double seconds = (System.nanoTime() - start) / 1e9;
        // one second's worth at start (so a new factory can fail over across a group), never the window's 100
        assertThat(allowed).as("at 10 a second, in %.3f s", seconds)
                .isGreaterThanOrEqualTo(10).isLessThanOrEqualTo((int) (10 * Math.max(seconds, 1.0)) + 1);
    }

    @Test
    void thePerSecondFloorAccruesOverTime() {
        RetryAllowance allowance = new RetryAllowance(new RetryBudget(0, 1000, Duration.ofSeconds(10)));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(allowance::tryAttempt);
    }

    @Test
    void noneRefusesEveryAttemptAndUnlimitedAllowsEvery() {
        RetryAllowance none = new RetryAllowance(RetryBudget.none());
        RetryAllowance unlimited = new RetryAllowance(RetryBudget.unlimited());
        for (int i = 0; i < 100; i++) {
            none.deposit();
        }

        assertThat(attemptsAllowed(none, 100)).isZero();
        assertThat(attemptsAllowed(unlimited, 100)).isEqualTo(100);
    }

    @Test
    void theBudgetChecksItsValues() {
        assertThat(RetryBudget.defaults()).isEqualTo(new RetryBudget(0.2, 10, Duration.ofSeconds(10)));
        assertThatThrownBy(() -> new RetryBudget(-0.1, 10, Duration.ofSeconds(10)))
                .hasMessageContaining("ratio");
        assertThatThrownBy(() -> new RetryBudget(Double.NaN, 10, Duration.ofSeconds(10)))
                .hasMessageContaining("ratio");
        assertThatThrownBy(() -> new RetryBudget(0.2, -1, Duration.ofSeconds(10)))
                .hasMessageContaining("minPerSecond");
        assertThatThrownBy(() -> new RetryBudget(0.2, 10, Duration.ofMillis(10))).hasMessageContaining("window");
        assertThatThrownBy(() -> new RetryBudget(0.2, 10, null)).hasMessageContaining("window");
    }
}
