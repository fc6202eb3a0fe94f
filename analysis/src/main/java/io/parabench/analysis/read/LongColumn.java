package io.parabench.analysis.read;

import java.util.ArrayList;
import java.util.List;

/**
 * A growable column of {@code long}s kept in fixed blocks while a trace is read, then copied
 * once into one array. Growing never copies what is already there (a doubling array would hold
 * 1.5–3× the final size at its peak), so a trace's memory stays at its bytes per event; the
 * blocks are released while they are copied out. Not thread-safe: one reader fills one column.
 */
final class LongColumn {
    private final List<long[]> full = new ArrayList<>();
    private long[] block = new long[ColumnBlocks.FIRST_BLOCK];
    private int inBlock;
    private final ColumnBlocks budget;

    LongColumn(ColumnBlocks budget) {
        this.budget = budget;
    }

    void add(long value) {
        if (inBlock == block.length) {
            full.add(block);
            block = new long[budget.nextBlock(block.length, Long.BYTES)];
            inBlock = 0;
        }
        block[inBlock++] = value;
    }

    int size() {
        return ColumnBlocks.size(full, inBlock, b -> b.length);
    }

    /** Copies the values into {@code out} from {@code at}; the column is empty afterwards. */
    void drainInto(long[] out, int at) {
        int k = at;
        for (int i = 0; i < full.size(); i++) {
            long[] b = full.set(i, null);
            System.arraycopy(b, 0, out, k, b.length);
            k += b.length;
        }
        System.arraycopy(block, 0, out, k, inBlock);
        full.clear();
        block = new long[0];
        inBlock = 0;
    }
}
