package io.parabench.analysis.read;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * The block sizes and the memory budget of the columns filled by one read (all parts of a
 * split file share one budget). Blocks start small, because most traces hold few annotations,
 * and double up to {@link #MAX_BLOCK} elements. The budget is a share of the heap: a trace
 * whose kept events would not fit is refused with a message that says how much it needs,
 * instead of an {@link OutOfMemoryError} minutes later (a 10 MB gzip can hold 30 million tiny
 * kernel events, 1.3 GB of columns).
 *
 * <p>Thread-safe.
 */
final class ColumnBlocks {
    static final int FIRST_BLOCK = 64;
    static final int MAX_BLOCK = 1 << 16;

    /** Columns may take this share of the heap; the final copy and the analysis need the rest. */
    static final double HEAP_SHARE = 0.45;

    private final AtomicLong bytes = new AtomicLong();
    private final long limitBytes;

    ColumnBlocks(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** A budget of {@link #HEAP_SHARE} of this JVM's maximum heap. */
    static ColumnBlocks ofHeap() {
        return new ColumnBlocks((long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE));
    }

    long bytes() {
        return bytes.get();
    }

    long limitBytes() {
        return limitBytes;
    }

    /**
     * The length of the next block after one of {@code previous} elements, charged to the budget.
     *
     * @throws HeapBudgetExceeded when the columns would pass the budget
     */
    int nextBlock(int previous, int elementBytes) {
        int length = Math.min(MAX_BLOCK, previous * 2);
        long total = bytes.addAndGet((long) length * elementBytes);
        if (total > limitBytes) {
            throw new HeapBudgetExceeded(total, limitBytes);
        }
        return length;
    }

    static <T> int size(List<T> full, int inBlock, ToIntFunction<T> length) {
        long n = inBlock;
        for (T b : full) {
            n += length.applyAsInt(b);
        }
        return Math.toIntExact(n);
    }

    /** The kept events of a trace need more memory than the budget allows. */
    static final class HeapBudgetExceeded extends RuntimeException {
        final long neededBytes;
        final long limitBytes;

        HeapBudgetExceeded(long neededBytes, long limitBytes) {
            super(null, null, false, false);
            this.neededBytes = neededBytes;
            this.limitBytes = limitBytes;
        }
    }
}
