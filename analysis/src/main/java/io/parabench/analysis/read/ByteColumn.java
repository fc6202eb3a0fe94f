package io.parabench.analysis.read;

import java.util.ArrayList;
import java.util.List;

/** The {@code byte} twin of {@link LongColumn}: fixed blocks while reading, one copy at the end. */
final class ByteColumn {
    private final List<byte[]> full = new ArrayList<>();
    private byte[] block = new byte[ColumnBlocks.FIRST_BLOCK];
    private int inBlock;
    private final ColumnBlocks budget;

    ByteColumn(ColumnBlocks budget) {
        this.budget = budget;
    }

    void add(byte value) {
        if (inBlock == block.length) {
            full.add(block);
            block = new byte[budget.nextBlock(block.length, 1)];
            inBlock = 0;
        }
        block[inBlock++] = value;
    }

    int size() {
        return ColumnBlocks.size(full, inBlock, b -> b.length);
    }

    /** Copies the values into {@code out} from {@code at}; the column is empty afterwards. */
    void drainInto(byte[] out, int at) {
        int k = at;
        for (int i = 0; i < full.size(); i++) {
            byte[] b = full.set(i, null);
            System.arraycopy(b, 0, out, k, b.length);
            k += b.length;
        }
        System.arraycopy(block, 0, out, k, inBlock);
        full.clear();
        block = new byte[0];
        inBlock = 0;
    }
}
