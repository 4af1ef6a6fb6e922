package io.gtcp.bench.jmh;

import org.openjdk.jmh.annotations.Threads;

/** {@link BorrowReturnBenchmark} on one thread: the uncontended cost. */
@Threads(1)
public class BorrowReturn1Thread extends BorrowReturnBenchmark {
}
