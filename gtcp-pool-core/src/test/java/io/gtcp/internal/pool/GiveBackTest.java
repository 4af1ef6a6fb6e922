package io.gtcp.internal.pool;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.PoolStats;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The return as one compare-and-set from the entry's word as the return read it ({@link GiveBack}): it gives the
 * entry back at most once, never from a word that an operation changed after it was read (its checks would be
 * stale), and a word of an ended borrow neither returns, closes, runs on nor aborts the next borrow of the entry.
 */
@Timeout(value = 30, unit = SECONDS)
class GiveBackTest {

    private BarePool bare;
    private AddressPool pool;

    @BeforeEach
    void startPool() throws java.io.IOException {
        bare = BarePool.start("give-back", 1, SECONDS.toNanos(5), false, false);
        pool = bare.pool;
    }

    @AfterEach
    void tearDown() {
        bare.close();
    }

    @Test
    void aReturnWhoseWordAnOperationChangedMeanwhileGivesNothingBack() throws Exception {
        PoolEntry e = pool.borrow(SECONDS.toNanos(5));
        long read = e.word(); // a closer reads the word: no operation runs
        assertThat(e.advance(read)).as("the owner's operation begins").isTrue();
        assertThat(e.endOperation(e.generation())).as("and ends, before the closer's compare-and-set").isTrue();
        assertThat(PoolEntry.isOpen(e.word(), e.generation()) && !PoolEntry.isRunning(e.word())).isTrue();

        assertThat(pool.giveBack(e, read, true, false)).as("checks made before that operation are stale").isFalse();
        assertThat(pool.borrowed()).isEqualTo(1);
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::active).containsExactly(0, 1);

        assertThat(pool.giveBack(e, e.word(), true, false)).as("the closer looks again").isTrue();
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::active).containsExactly(1, 0);
    }

    @Test
    void aWordOfAnEndedBorrowNeitherReturnsNorUsesNorClosesTheNextBorrow() throws Exception {
        PoolEntry e = pool.borrow(SECONDS.toNanos(5));
        long first = e.word();
        long firstGeneration = e.generation();
        assertThat(pool.giveBack(e, first, true, false)).isTrue();
        assertThat(pool.giveBack(e, first, true, false)).as("a second return of the same borrow").isFalse();

        PoolEntry again = pool.borrow(SECONDS.toNanos(5));
        assertThat(again).isSameAs(e); // a pool of one: the same entry, in its next borrow
        assertThat(e.generation()).isNotEqualTo(firstGeneration);
        assertThat(pool.giveBack(e, first, true, false)).as("no return of the next borrow").isFalse();
        assertThat(pool.giveBack(e, first, false, false)).as("nor a close of it as broken").isFalse();
        assertThat(e.advance(first)).as("nor an operation on it").isFalse();
        assertThat(e.closeRunning(PoolEntry.nextPhase(first))).as("nor an abort").isFalse();
        assertThat(e.endOperation(firstGeneration)).as("nor the end of an operation").isFalse();
        pool.release(e, firstGeneration, false, false);
        assertThat(PoolEntry.isOpen(e.word(), firstGeneration)).isFalse();
        assertThat(PoolEntry.isOpen(e.word(), e.generation())).isTrue();
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::active, PoolStats::closed)
                .containsExactly(0, 1, 0L);

        pool.release(again, again.generation(), true, false);
        assertThat(pool.stats()).extracting(PoolStats::idle, PoolStats::active, PoolStats::closed)
                .containsExactly(1, 0, 0L);
    }

    @Test
    void aCloseWhileAnOperationRunsLeavesTheReturnToTheOperationsThread() throws Exception {
        PoolEntry e = pool.borrow(SECONDS.toNanos(5));
        long idle = e.word();
        assertThat(e.advance(idle)).isTrue();
        long running = PoolEntry.nextPhase(idle);
        assertThat(PoolEntry.isRunning(running)).isTrue();

        assertThat(e.closeRunning(running)).isTrue(); // close() from another thread
        assertThat(PoolEntry.isOpen(e.word(), e.generation())).as("closed: a second close does nothing").isFalse();
        assertThat(e.endOperation(e.generation())).as("the operation cannot end as if nobody had closed it").isFalse();
        assertThat(PoolEntry.isClosedWhileRunning(e.word(), e.generation())).isTrue();
        assertThat(pool.giveBack(e, running, true, true)).as("nor can a return of the running word").isFalse();
        assertThat(pool.stats()).extracting(PoolStats::active, PoolStats::closed).containsExactly(1, 0L);

        assertThat(pool.giveBack(e, running | PoolEntry.CLOSED, false, true)).isTrue(); // the operation's thread
        assertThat(pool.stats()).extracting(PoolStats::total, PoolStats::closed).containsExactly(0, 1L);
    }
}
