package io.gtcp.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.testing.CapturedLog;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The log's rules for a failing address over minutes, on a clock the test moves: one WARN, at most one WARN a
 * minute while failures go on however they alternate with successes, one INFO after 10 s of service without a
 * failure (noticed by the housekeeper's tick when no call comes).
 */
class EndpointHealthLogTest {

    private static final String ADDRESS = "10.0.0.2:9000";
    private static final IOException REFUSED = new ConnectException("Connection refused");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final EndpointHealth health = new EndpointHealth(ADDRESS, now::get);
    private final CapturedLog log = CapturedLog.start();

    @AfterEach
    void release() {
        log.close();
    }

    @Test
    void failuresAlternatingWithSuccessesForThreeMinutesAreFourWarningsAndNoInfo() {
        for (int second = 0; second < 3 * 60 + 30; second++) {
            health.recordFailure(REFUSED);
            advance(TimeUnit.MILLISECONDS.toNanos(500));
            health.recordSuccess();
            health.tick();
            advance(TimeUnit.MILLISECONDS.toNanos(500));
        }

        assertThat(lines("WARN")).hasSize(4); // at 0 s, then reminders at 60, 120 and 180 s
        assertThat(lines("WARN").get(0)).contains(ADDRESS + " is failing: java.net.ConnectException");
        assertThat(lines("WARN").get(1)).contains(ADDRESS + " is still failing: 60 failure(s) in the last 60 s");
        assertThat(lines("INFO")).isEmpty();
        assertThat(health.consecutiveFailures()).as("the last operation completed").isZero();
    }

    @Test
    void tenSecondsOfServiceWithoutAFailureIsOneInfoEvenWithoutFurtherCalls() {
        health.recordFailure(REFUSED);
        health.recordFailure(REFUSED);
        health.recordSuccess();
        advance(TimeUnit.SECONDS.toNanos(9));
        health.tick();
        assertThat(lines("INFO")).as("9 s without a failure").isEmpty();

        advance(TimeUnit.SECONDS.toNanos(1));
        health.tick();
        health.tick();
        health.recordSuccess();

        assertThat(lines("INFO")).singleElement().asString().contains(ADDRESS + " works again: no failure for 10 s");
        assertThat(lines("WARN")).hasSize(1);

        health.recordFailure(REFUSED); // failing again after the INFO: a new WARN, the change of state is news
        assertThat(lines("WARN")).hasSize(2);
    }

    @Test
    void withoutAServedOperationTheQuietTimeSaysNothing() {
        health.recordFailure(REFUSED);
        advance(TimeUnit.MINUTES.toNanos(5));
        health.tick();

        assertThat(lines("INFO")).as("nothing served: nothing known").isEmpty();
    }

    private void advance(long nanos) {
        now.addAndGet(nanos);
    }

    private List<String> lines(String level) {
        return log.linesContaining(ADDRESS).stream().filter(l -> l.contains(level)).toList();
    }
}
