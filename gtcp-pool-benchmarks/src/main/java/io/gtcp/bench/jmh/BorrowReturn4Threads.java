package io.gtcp.bench.jmh;

import org.openjdk.jmh.annotations.Threads;

/** {@link BorrowReturnBenchmark} on four threads: the cost when borrowers meet. */
@Threads(4)
public class BorrowReturn4Threads extends BorrowReturnBenchmark {
}
