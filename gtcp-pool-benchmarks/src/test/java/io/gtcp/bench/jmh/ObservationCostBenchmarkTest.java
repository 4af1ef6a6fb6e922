package io.gtcp.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.spring.boot.autoconfigure.observation.ObservationExchangeObserver;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The observation-cost benchmark's three set-ups, driven without JMH for a bounded number of operations: every
 * exchange gets its echo over the one warm connection, and only {@code recording} records (a timer with one count
 * per exchange); {@code none} and {@code noop} leave no trace. No speed is asserted.
 */
class ObservationCostBenchmarkTest {

    private static final int BORROWS = 2_000;
    private static final int EXCHANGES = 200;

    @ParameterizedTest
    @ValueSource(strings = {"none", "noop", "recording"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyCaseBorrowsAndExchangesOverItsOneConnection(String observation) throws Exception {
        ObservationCostBenchmark bench = new ObservationCostBenchmark();
        bench.observation = observation;
        bench.setUp();
        try {
            for (int i = 0; i < BORROWS; i++) {
                bench.borrowReturn();
            }
            for (int i = 0; i < EXCHANGES; i++) {
                assertThat(new String(bench.exchange(), StandardCharsets.US_ASCII)).isEqualTo("> 2026-01-01 00:00:00");
            }
            assertThat(bench.pool.stats().total()).as("no borrow dialled").isEqualTo(1);
            if (observation.equals("recording")) {
                assertThat(bench.meters.get(ObservationExchangeObserver.NAME).tag("outcome", "SUCCESS").timer()
                        .count()).isEqualTo(EXCHANGES);
            } else {
                assertThat(bench.meters).isNull();
            }
        } finally {
            bench.tearDown();
        }
    }
}
