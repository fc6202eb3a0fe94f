package io.parabench.kernels;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The row panels of one blocked GEMM, handed out to its threads block by block, so that a thread
 * the host runs slowly does not hold up the call: each thread owns a contiguous segment of the
 * panels in every B block and takes them from its front; a thread whose segment is used up
 * takes panels from the back of another's. Owners keep their panels from block to block while
 * the threads keep pace (their C rows stay in their core's caches), and only the imbalance moves.
 *
 * <p>A panel's reduction blocks must still reach C in order, one after the other, for the FMA
 * chains to run in increasing p: before a thread works on a panel in block b it waits until the
 * panel is done in every earlier block ({@link #awaitEarlierBlocks}). The wait is short: both
 * threads take panels in the same order, so it is for at most one panel's work. A thread that
 * runs every task in turn (a busy pool) finds each block's panels all done by the first task.
 *
 * <p>Measured on the 2-vCPU Intel Xeon (3 December 2026, JDK 17, 1024³, one JVM, calls
 * alternated with the static halves this replaced, median of 9 per round): forward on two
 * threads 1.085× as fast (geomean of 20 rounds; 1.01–1.04× in rounds where both threads ran at
 * full speed, 1.11–1.29× where the host slowed one) and 1.13× in a noisier run of 16 rounds; the
 * weight gradient 1.41× in that run. Two threads against one, forward: 1.83× against 1.64× and
 * 2.05× against 1.74× (geomeans). Results are bit for bit those of the static split.
 *
 * <p>Claims are encoded in one int: a panel from the thread's own segment as itself, a panel
 * taken from another's as {@code -2 - panel} ({@link #stolen}), none left as {@link #NONE}.
 */
final class RowClaims {
    static final int NONE = -1;

    private final int panels;
    private final int tasks;
    /** Per block and owning task: the segment's next panel from the front (high half) and its end (low half). */
    private final AtomicLongArray segments;
    /** Per panel: how many blocks of it are done. */
    private final AtomicIntegerArray blocksDone;
    private volatile boolean failed;

    /**
     * @param panels row panels of C
     * @param tasks  threads taking part (each owns a segment of every block)
     * @param blocks B blocks, in the order every thread visits them
     */
    RowClaims(int panels, int tasks, int blocks) {
        this.panels = panels;
        this.tasks = tasks;
        this.segments = new AtomicLongArray(blocks * tasks);
        for (int block = 0; block < blocks; block++) {
            for (int owner = 0; owner < tasks; owner++) {
                long front = (long) panels * owner / tasks;
                long end = (long) panels * (owner + 1) / tasks;
                segments.set(block * tasks + owner, front << 32 | end);
            }
        }
        this.blocksDone = new AtomicIntegerArray(panels);
    }

    /** The next panel of {@code block} for {@code task}: its own segment's front, else another's back. */
    int claim(int block, int task) {
        int own = block * tasks + task;
        for (long s = segments.get(own); front(s) < end(s); s = segments.get(own)) {
            if (segments.compareAndSet(own, s, s + (1L << 32))) {
                return front(s);
            }
        }
        for (int d = 1; d < tasks; d++) {
            int other = block * tasks + (task + d) % tasks;
            for (long s = segments.get(other); front(s) < end(s); s = segments.get(other)) {
                if (segments.compareAndSet(other, s, s - 1)) {
                    return -2 - (end(s) - 1);
                }
            }
        }
        return NONE;
    }

    /** The end (exclusive) of the panels {@code task} owns in every block; it takes them in rising order. */
    int ownedEnd(int task) {
        return (int) ((long) panels * (task + 1) / tasks);
    }

    /** Whether {@code claim} (not {@link #NONE}) came from another task's segment. */
    static boolean stolen(int claim) {
        return claim < NONE;
    }

    /** The panel of {@code claim} (not {@link #NONE}). */
    static int panel(int claim) {
        return claim >= 0 ? claim : -2 - claim;
    }

    /**
     * Returns once {@code panel} is done in every block before {@code block}; spins, then
     * yields. Throws when another thread of the call failed, which would never finish it.
     */
    void awaitEarlierBlocks(int panel, int block) {
        if (blocksDone.get(panel) >= block) {
            return;
        }
        long spinUntil = System.nanoTime() + HostPool.SPIN_NANOS;
        while (blocksDone.get(panel) < block) {
            if (failed) {
                throw new IllegalStateException("GEMM row panel " + panel + " abandoned: another thread of the call failed");
            }
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Marks {@code panel} done in {@code block}; its C writes are visible to whoever awaits it. */
    void done(int panel, int block) {
        blocksDone.set(panel, block + 1);
    }

    /** Called by a thread that gives up: threads waiting for its panels stop waiting. */
    void fail() {
        failed = true;
    }

    private static int front(long segment) {
        return (int) (segment >>> 32);
    }

    private static int end(long segment) {
        return (int) segment;
    }
}
