package io.parabench.analysis.read;

import java.util.ArrayList;
import java.util.List;

/** The {@code int} twin of {@link LongColumn}: fixed blocks while reading, one copy at the end. */
final class IntColumn {
    private final List<int[]> full = new ArrayList<>();
    private int[] block = new int[ColumnBlocks.FIRST_BLOCK];
    private int inBlock;
    private final ColumnBlocks budget;

    IntColumn(ColumnBlocks budget) {
        this.budget = budget;
    }

    void add(int value) {
        if (inBlock == block.length) {
            full.add(block);
            block = new int[budget.nextBlock(block.length, Integer.BYTES)];
            inBlock = 0;
        }
        block[inBlock++] = value;
    }

    int size() {
        return ColumnBlocks.size(full, inBlock, b -> b.length);
    }

    /**
     * Copies the values into {@code out} from {@code at}, each mapped through {@code remap}
     * when it is not null (name ids of a later part of a split file; negative ids, meaning none, stay); the column is empty
     * afterwards.
     */
    void drainInto(int[] out, int at, int[] remap) {
        int k = at;
        for (int i = 0; i <= full.size(); i++) {
            int[] b = i < full.size() ? full.set(i, null) : block;
            int n = i < full.size() ? b.length : inBlock;
            if (remap == null) {
                System.arraycopy(b, 0, out, k, n);
            } else {
                for (int j = 0; j < n; j++) {
                    int v = b[j];
                    out[k + j] = v < 0 ? v : remap[v];  // -1: no name
                }
            }
            k += n;
        }
        full.clear();
        block = new int[0];
        inBlock = 0;
    }
}
