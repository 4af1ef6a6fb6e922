package io.gtcp.internal.pool;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The places of one {@link AddressPool}: up to {@code maxSize} slots, each empty or holding an entry, allocated
 * as they are first needed. A slot's index never changes, so an entry keeps its slot for its whole life and a
 * thread's "my last slot" stays valid.
 *
 * <p>Why not one array of {@code maxSize}: Go's gtcp has no limit, and a {@code maxSize} of a million (a
 * "no limit" setting) would cost megabytes per address before the first connection, or fail the factory's
 * start with an {@link OutOfMemoryError}. Why not an array that is copied to grow: an entry's slot is changed by
 * compare-and-set from other threads (a dial filling it, a close emptying it), and a copy would lose the changes
 * made to the old array meanwhile. So the places come in chunks that never move: the first holds up to
 * {@link #FIRST} places (a pool of the default size never needs another, and its borrow path reads one array,
 * as before), each later chunk twice as many as the one before, added under a lock when every allocated place is
 * taken (a million places are about 14 chunks). Readers see the places allocated so far through {@link #length()}
 * (one volatile read); only a dial that finds no free place takes the lock.
 */
final class Slots {

    /** Places of the first chunk; chunk {@code k >= 1} holds {@code FIRST << k} places. */
    static final int FIRST = 64;
    private static final int FIRST_SHIFT = Integer.numberOfTrailingZeros(FIRST);

    private final int capacity;
    private final AtomicReferenceArray<PoolEntry> first;
    /** Chunk {@code k} at index {@code k} (index 0 unused: that is {@link #first}); null until allocated. */
    private final AtomicReferenceArray<AtomicReferenceArray<PoolEntry>> chunks;
    /** Places allocated so far: the chunks up to the last one allocated, that one capped at {@link #capacity}. */
    private volatile int length;
    private final ReentrantLock growing = new ReentrantLock();

    Slots(int capacity) {
        this.capacity = capacity;
        this.first = new AtomicReferenceArray<>(Math.min(capacity, FIRST));
        this.chunks = new AtomicReferenceArray<>(Integer.SIZE - FIRST_SHIFT + 1);
        this.length = first.length();
    }

    /** The most places there can be: the pool's {@code maxSize}. */
    int capacity() {
        return capacity;
    }

    /** The places allocated so far; indexes below it may be read. */
    int length() {
        return length;
    }

    PoolEntry getAcquire(int i) {
        return i < FIRST ? first.getAcquire(i) : chunkOf(i).getAcquire(offset(i));
    }

    boolean compareAndSet(int i, PoolEntry expected, PoolEntry next) {
        return i < FIRST ? first.compareAndSet(i, expected, next) : chunkOf(i).compareAndSet(offset(i), expected, next);
    }

    /**
     * Puts {@code entry} in a free place and returns its index, allocating a chunk if every allocated place is
     * taken. The caller holds a reservation of a place (the pool's {@code total}), so one is free or about to be.
     */
    int put(PoolEntry entry) {
        for (;;) {
            int n = length;
            for (int i = 0; i < n; i++) {
                if (getAcquire(i) == null && compareAndSet(i, null, entry)) {
                    return i;
                }
            }
            if (n < capacity) {
                grow(n);
            } else {
                Thread.onSpinWait(); // a place is being emptied: its close gives back a reservation right after
            }
        }
    }

    /** Adds the next chunk, unless another thread did since {@code seen} was the length. */
    private void grow(int seen) {
        growing.lock();
        try {
            int n = length;
            if (n != seen || n >= capacity) {
                return;
            }
            int k = chunkIndex(n);
            int size = Math.min(FIRST << k, capacity - n); // the last chunk ends at the capacity
            chunks.set(k, new AtomicReferenceArray<>(size));
            length = n + size; // publishes the chunk
        } finally {
            growing.unlock();
        }
    }

    private AtomicReferenceArray<PoolEntry> chunkOf(int i) {
        return chunks.getAcquire(chunkIndex(i));
    }

    /** The chunk of place {@code i >= FIRST}: chunk {@code k} starts at {@code FIRST * (2^k - 1)}. */
    private static int chunkIndex(int i) {
        return 31 - Integer.numberOfLeadingZeros((i >>> FIRST_SHIFT) + 1);
    }

    private static int offset(int i) {
        return i - ((1 << chunkIndex(i)) - 1) * FIRST;
    }
}
