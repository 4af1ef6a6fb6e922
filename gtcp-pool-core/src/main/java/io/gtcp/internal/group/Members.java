package io.gtcp.internal.group;

/**
 * The endpoints of a group at one moment, as borrowers read them: every member in list order, and the usable
 * ones (not ejected) in list order, as plain arrays.
 *
 * <p>A borrow reads one volatile reference to this immutable object and indexes an array: no lock, no
 * iterator, no allocation, however the group changes meanwhile. Every change (an endpoint joins, leaves, is
 * ejected or restored) builds a new one under the group's lock and publishes it; changes are rare, borrows are
 * not. A borrower holding an older snapshot is harmless: at worst it picks an endpoint that was ejected a moment
 * ago, or a drained one, which it then skips.
 */
final class Members {

    static final Members NONE = new Members(new Endpoint[0]);

    /** Every member, in list order. */
    final Endpoint[] all;
    /** The members not ejected, in list order. */
    final Endpoint[] usable;
    /** Whether {@code all[i]} is usable. */
    private final boolean[] usableAt;
    /** Whether any member is ejected: only then does a borrower look at the clock. */
    final boolean anyEjected;
    /** When the first ejection ends ({@link System#nanoTime()}); meaningful if {@link #anyEjected}. */
    final long nextRestoreAt;
    /**
     * The only member when there is exactly one and it is usable, else null: every borrow of such a group goes
     * to it, whatever the balancer, so a borrow skips the ejection checks and the pick.
     */
    final Endpoint sole;

    /** A snapshot of {@code all}'s current states; under the group's lock. */
    Members(Endpoint[] all) {
        this.all = all;
        this.usableAt = new boolean[all.length];
        int usableCount = 0;
        long firstEnd = 0;
        boolean ejectedSeen = false;
        for (int i = 0; i < all.length; i++) {
            Endpoint e = all[i];
            if (e.ejected) {
                if (!ejectedSeen || e.ejectedUntil - firstEnd < 0) {
                    firstEnd = e.ejectedUntil;
                }
                ejectedSeen = true;
            } else {
                usableAt[i] = true;
                usableCount++;
            }
        }
        this.usable = new Endpoint[usableCount];
        for (int i = 0, u = 0; i < all.length; i++) {
            if (usableAt[i]) {
                usable[u++] = all[i];
            }
        }
        this.anyEjected = ejectedSeen;
        this.nextRestoreAt = firstEnd;
        this.sole = all.length == 1 && usableCount == 1 ? all[0] : null;
    }

    boolean isUsable(int index) {
        return usableAt[index];
    }

    /** The position of {@code endpoint} in {@link #all}, or -1. */
    int indexOf(Endpoint endpoint) {
        for (int i = 0; i < all.length; i++) {
            if (all[i] == endpoint) {
                return i;
            }
        }
        return -1;
    }

    /** Whether an ejection has ended by {@code now}, so the snapshot is out of date. */
    boolean restoreDue(long now) {
        return anyEjected && now - nextRestoreAt >= 0;
    }

    int ejectedCount() {
        return all.length - usable.length;
    }
}
