package io.parabench.kernels;

/**
 * A linear layer's weight W ({@code n × k}: out features × in features, row-major, as the layer
 * stores it) rearranged once for the forward product {@code Y = X·Wᵀ} with few rows of X: the
 * decode step of inference, or the micro-batches of a pipeline stage between two optimizer steps.
 * Built by {@link Kernels#packWeight} and used by {@link Kernels#gemm(HostPool, int, float[], PackedWeight, float[], boolean)}.
 *
 * <p><b>Layout.</b> Rows of W are grouped into panels of {@link #width} rows (the last panel
 * zero-padded), and each panel is stored column by column: element {@code (j, p)} of W sits at
 * {@code panel(j)·width·k + p·width + j mod width}. A step of the product then reads
 * {@code width} consecutive floats, the weights of one input feature for {@code width} outputs,
 * and the whole weight is one sequential stream, which is what a memory-bound product needs. In
 * W's own layout those {@code width} values lie {@code 4k} bytes apart, and a kernel that wants
 * one FMA chain per output in increasing p (the bits of the scalar twin) must transpose them in
 * registers on every call ({@link TransposedGemv}), or pay for a full transposing pack of W per
 * call ({@link VectorGemm}).
 *
 * <p>Packing costs about as much as 10–20 products (11 ms for a 2048×2048 W here, see
 * {@link PackedGemm}); a decode loop, which multiplies by the same weight once per token, or a
 * pipeline stage's micro-batches between two optimizer steps, earn it back. The packed copy is
 * the caller's: change W and pack it again. Immutable once built; thread safe.
 */
public final class PackedWeight {
    /** Columns of W packed per pass over a panel's rows. */
    private static final int PACK_BLOCK = 64;
    private final int n;
    private final int k;
    private final int width;
    private final float[] panels;

    private PackedWeight(int n, int k, int width, float[] panels) {
        this.n = n;
        this.k = k;
        this.width = width;
        this.panels = panels;
    }

    /**
     * Packs {@code w[n×k]} into panels of {@code width} rows. Arguments are checked by the
     * twins ({@link KernelChecks#packWeight}).
     */
    static PackedWeight pack(int n, int k, float[] w, int width) {
        int panelCount = (n + width - 1) / width;
        float[] panels = new float[panelCount * width * k];
        // Blocks of PACK_BLOCK columns, so the block being written (width × 64 floats) stays in L1
        // while each row of W contributes one contiguous run to it.
        for (int q = 0; q < panelCount; q++) {
            int base = q * width * k;
            int rows = Math.min(width, n - q * width);
            for (int p0 = 0; p0 < k; p0 += PACK_BLOCK) {
                int to = Math.min(k, p0 + PACK_BLOCK);
                for (int l = 0; l < rows; l++) {
                    int row = (q * width + l) * k;
                    for (int p = p0; p < to; p++) {
                        panels[base + p * width + l] = w[row + p];
                    }
                }
            }
        }
        return new PackedWeight(n, k, width, panels);
    }

    /** Out features: the rows of W, the columns of Y. */
    public int outFeatures() {
        return n;
    }

    /** In features: the columns of W and of X, the reduction length. */
    public int inFeatures() {
        return k;
    }

    /** Rows of W per panel. */
    int width() {
        return width;
    }

    /** The panels, as laid out in the class comment. */
    float[] panels() {
        return panels;
    }

    /** Number of panels. */
    int panelCount() {
        return (n + width - 1) / width;
    }

    /** Element {@code (j, p)} of W. */
    float at(int j, int p) {
        return panels[j / width * width * k + p * width + j % width];
    }

    @Override
    public String toString() {
        return "PackedWeight[" + n + "×" + k + ", panels of " + width + " rows]";
    }
}
