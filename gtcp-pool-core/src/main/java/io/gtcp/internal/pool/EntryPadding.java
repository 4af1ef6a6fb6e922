package io.gtcp.internal.pool;

/**
 * Two cache lines of nothing in front of every {@link PoolEntry}'s fields (a superclass's fields come first in an
 * object), so that the fields of two entries never share a cache line, nor the pair of lines a processor fetches
 * together.
 *
 * <p><b>Why.</b> A borrow and a return write the entry's word, {@code borrowedAt} and {@code lastReturned}, and
 * two threads running at once use two entries. An entry without padding is about 80 bytes, and the garbage
 * collector may copy the entries of a pool next to one another (it copies what the slots' array refers to as it
 * scans it). Two running threads whose entries then share a line take it from each other's processor at every
 * borrow and return. Which entries sit side by side varies from run to run, and the throughput with it: JMH, 32
 * threads on 8 connections with no I/O, each fork steady within a few percent but the forks anywhere from 38 to 66
 * borrows per microsecond; with this padding faster in 8 pairs of forks out of 8, by a median of about 16 %
 * (BENCHMARKS.md). {@code @Contended} would do the same but is ignored outside the JDK unless the JVM runs with
 * {@code -XX:-RestrictContended}. It costs 128 bytes per connection.
 */
abstract class EntryPadding {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}
