package io.parabench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The Vector API twin's top-k of each row ({@link VectorKernels#topK}): a bound pass, then per
 * row the candidates at least that bound, then a selection, picking exactly what
 * {@link ScalarKernels#topK} picks, in its order.
 * <ol>
 *   <li><b>Bound and NaN pass</b>, over all rows before anything is written: per row, the
 *       lane-wise maxima over the row's vectors, taken on the raw float bits as ints (one
 *       instruction, where a float max is a NaN- and ±0-aware sequence on x86). Such a "maximum"
 *       is exact for a lane holding a positive score and otherwise still one of the lane's
 *       scores, and that is all the bound needs. For k up to the lane count the row's
 *       {@code floor} is the k-th largest of these V scores (by order-preserving int keys; each
 *       lane's rank is counted against the key vector rotated one lane at a time), so the k
 *       lanes ranked first hold k scores at least {@code floor}, and so the k-th largest score
 *       is at least {@code floor} too. For k above the lane count, the smallest of k or more
 *       group maxima. The same loads feed an int max of the magnitudes: a NaN is the only float
 *       whose magnitude bits exceed infinity's.</li>
 *   <li><b>Candidates</b>: a float compare against {@code floor} per vector; the hit masks of
 *       up to 16 vectors are gathered as bits of int lanes, so the candidates (10.4 a row on
 *       average for rows of 256 Gaussian scores and k = 8, against 20.6 for the smallest of
 *       eight group maxima used before) come out by {@link Long#numberOfTrailingZeros} with no
 *       branch per score. Each candidate becomes one long, the score's order-preserving int key
 *       above the complemented column: the largest long is the largest score and, among equal
 *       scores (−0 equals +0, as in the twin's {@code >}), the lowest column, which is exactly
 *       the scalar twin's pick order.</li>
 *   <li><b>Selection</b>, for k up to {@link #SIDE_BY_SIDE_K}: the rows of a group of
 *       {@code LongVector} lanes (8 at 512 bits) are selected side by side, one row per lane.
 *       The i-th candidates of the group's rows form one vector, which passes through eight
 *       sorted best-so-far vectors by lane-wise max/min exchanges (rows with fewer candidates
 *       are padded with {@link Long#MIN_VALUE}). So no branch depends on a score. For larger k,
 *       and rows longer than {@link #SIDE_BY_SIDE_COLS}, each row's candidates pass through a
 *       sorted best list one at a time, as before.</li>
 * </ol>
 * Measured at rows of 256, k = 8 (JDK 17, 512-bit, 1M Gaussian scores, best call, load 7–9):
 * 8.6 GB/s against 3.2 for the one-row-at-a-time selection with the smaller bound of eight group
 * maxima that came before (dev harness, same process). Where that time goes: the bound and NaN
 * pass 30 GB/s on its own, then the candidates (compare, hit bits, one long each) 11 GB/s with
 * it, so the selection is the smaller part now. The rank bound's rotations cost one shuffle
 * chain per row. Indexing a table of fifteen rotations instead ran at 23 GB/s for that pass
 * (the shuffle is then not a constant, and JDK 17 checks it on every use). Rows shorter than
 * the groups need, and k beyond 32, take the scalar twin's k passes.
 *
 * <p>Stateless and thread-safe; one {@code topK} call allocates its scratch (a few KiB, plus a
 * float per row).
 */
final class VectorTopK {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Rows selected side by side: the long lanes of one vector. */
    private static final int ROWS_SIDE_BY_SIDE = L.length();
    /** Largest k of the side-by-side selection: its sorted best list is eight vectors (the router picks 8 of 256). */
    static final int SIDE_BY_SIDE_K = 8;
    /**
     * Longest rows selected side by side: their candidate matrix (a long per column and row of
     * the group) stays at most 64 KiB. Longer rows go one by one: a row of 16384 scores would
     * need 1 MiB per call; with that, whole rounds of calls at 64 rows of 16384 ran at about 1 GB/s
     * against 17 (dev harness, JDK 17), where one by one they run at 24.
     */
    static final int SIDE_BY_SIDE_COLS = 1024;
    /** Largest k of the vector path; beyond it the scalar twin's k passes. */
    static final int MAX_K = 32;
    /** Moves lane {@code l + 1} to lane l (wrapping): one constant shuffle, so C2 checks it once. */
    private static final VectorShuffle<Integer> ROTATE_ONE = VectorShuffle.iota(I, 1, 1, true);
    /** Vectors whose hit masks share one int lane's bits in {@link #candidates}: 16, so four lanes fill a long. */
    private static final int HIT_BLOCK = 16;
    /** Magnitude bits of +∞; anything above is a NaN. */
    private static final int INFINITY_BITS = 0x7f80_0000;

    private VectorTopK() {
    }

    /** {@link Kernels#topK} after the shape checks: NaN rejected before anything is written. */
    static void topK(float[] x, int rows, int cols, int k, int[] indices, float[] values) {
        int bound = S.loopBound(cols);
        int accumulators = (k + V - 1) / V;
        if (k == 0 || k > MAX_K || bound < accumulators * V) {
            if (hasNaN(x, rows * cols)) {
                KernelChecks.topKScores(x, rows, cols);
            }
            if (k > 0) {
                ScalarKernels.INSTANCE.topK(x, rows, cols, k, indices, values);
            }
            return;
        }
        float[] floors = new float[rows];
        if (floorsOrNaN(x, rows, cols, k, floors)) {
            KernelChecks.topKScores(x, rows, cols);
        }
        if (k <= SIDE_BY_SIDE_K && cols <= SIDE_BY_SIDE_COLS) {
            sideBySide(x, rows, cols, k, floors, indices, values);
        } else {
            oneByOne(x, rows, cols, k, floors, indices, values);
        }
    }

    /** Writes every row's floor; returns whether any score is NaN (then the floors are incomplete). */
    private static boolean floorsOrNaN(float[] x, int rows, int cols, int k, float[] floors) {
        int bound = S.loopBound(cols);
        int accumulators = (k + V - 1) / V;
        IntVector magnitudes = IntVector.zero(I);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            IntVector bits = FloatVector.fromArray(S, x, base).reinterpretAsInts();
            IntVector maxima = bits;
            magnitudes = magnitudes.max(bits.and(0x7fff_ffff));
            for (int j = V; j < bound; j += V) {
                bits = FloatVector.fromArray(S, x, base + j).reinterpretAsInts();
                maxima = maxima.max(bits);
                magnitudes = magnitudes.max(bits.and(0x7fff_ffff));
            }
            for (int j = bound; j < cols; j++) {
                if (Float.isNaN(x[base + j])) {
                    return true;
                }
            }
            floors[r] = accumulators == 1 ? kthLargest(maxima, k) : groupMaxFloor(x, base, bound, accumulators);
        }
        return magnitudes.reduceLanes(VectorOperators.MAX) > INFINITY_BITS;
    }

    /** The k-th largest (k ≤ V) of the floats whose bits are {@code bits}' lanes: a lane's rank is how many lanes exceed it. */
    private static float kthLargest(IntVector bits, int k) {
        IntVector key = keys(bits);
        IntVector rank = IntVector.zero(I);
        IntVector rotated = key;
        for (int r = 1; r < V; r++) {
            rotated = rotated.rearrange(ROTATE_ONE);
            rank = rank.sub(rotated.compare(VectorOperators.GT, key).toVector());
        }
        int kth = key.blend(Integer.MAX_VALUE, rank.compare(VectorOperators.GE, k)).reduceLanes(VectorOperators.MIN);
        return Float.intBitsToFloat(kth ^ ((kth >> 31) >>> 1));
    }

    /** The smallest of {@code accumulators·V} group maxima, for k above the lane count. */
    private static float groupMaxFloor(float[] x, int base, int bound, int accumulators) {
        float floor = Float.POSITIVE_INFINITY;
        for (int u = 0; u < accumulators; u++) {
            IntVector acc = FloatVector.fromArray(S, x, base + u * V).reinterpretAsInts();
            for (int j = (u + accumulators) * V; j < bound; j += accumulators * V) {
                acc = acc.max(FloatVector.fromArray(S, x, base + j).reinterpretAsInts());
            }
            int key = keys(acc).reduceLanes(VectorOperators.MIN);
            floor = Math.min(floor, Float.intBitsToFloat(key ^ ((key >> 31) >>> 1)));
        }
        return floor;
    }

    /** Order-preserving int keys of float bits: signed int order is the float order (−0 just below +0). */
    private static IntVector keys(IntVector bits) {
        return bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1));
    }

    /**
     * Rows in the lanes of long vectors: per group of rows, the i-th candidates of every row form
     * one vector, and pass through the eight sorted best vectors ({@code b0} the largest).
     */
    private static void sideBySide(float[] x, int rows, int cols, int k, float[] floors, int[] indices,
                                   float[] values) {
        int lanes = ROWS_SIDE_BY_SIDE;
        long[] candidates = new long[cols * lanes];
        int[] counts = new int[lanes];
        int[] laneBits = new int[V];
        long[] best = new long[SIDE_BY_SIDE_K * lanes];
        LongVector none = LongVector.broadcast(L, Long.MIN_VALUE);
        for (int r0 = 0; r0 < rows; r0 += lanes) {
            int group = Math.min(lanes, rows - r0);
            int most = 0;
            for (int rr = 0; rr < lanes; rr++) {
                int r = r0 + rr;
                counts[rr] = rr < group ? candidates(x, r * cols, cols, floors[r], laneBits, candidates, lanes, rr) : 0;
                most = Math.max(most, counts[rr]);
            }
            for (int rr = 0; rr < lanes; rr++) {
                for (int i = counts[rr]; i < most; i++) {
                    candidates[i * lanes + rr] = Long.MIN_VALUE;
                }
            }
            LongVector b0 = none;
            LongVector b1 = none;
            LongVector b2 = none;
            LongVector b3 = none;
            LongVector b4 = none;
            LongVector b5 = none;
            LongVector b6 = none;
            LongVector b7 = none;
            for (int i = 0; i < most; i++) {
                LongVector c = LongVector.fromArray(L, candidates, i * lanes);
                LongVector hi;
                hi = b0.max(c);
                c = b0.min(c);
                b0 = hi;
                hi = b1.max(c);
                c = b1.min(c);
                b1 = hi;
                hi = b2.max(c);
                c = b2.min(c);
                b2 = hi;
                hi = b3.max(c);
                c = b3.min(c);
                b3 = hi;
                hi = b4.max(c);
                c = b4.min(c);
                b4 = hi;
                hi = b5.max(c);
                c = b5.min(c);
                b5 = hi;
                hi = b6.max(c);
                c = b6.min(c);
                b6 = hi;
                b7 = b7.max(c);
            }
            b0.intoArray(best, 0);
            b1.intoArray(best, lanes);
            b2.intoArray(best, 2 * lanes);
            b3.intoArray(best, 3 * lanes);
            b4.intoArray(best, 4 * lanes);
            b5.intoArray(best, 5 * lanes);
            b6.intoArray(best, 6 * lanes);
            b7.intoArray(best, 7 * lanes);
            for (int rr = 0; rr < group; rr++) {
                int r = r0 + rr;
                for (int s = 0; s < k; s++) {
                    int col = ~(int) best[s * lanes + rr];
                    indices[r * k + s] = col;
                    values[r * k + s] = x[r * cols + col];
                }
            }
        }
    }

    /** One row at a time: a candidate above the k-th best so far passes through the sorted best list (k beyond 8, long rows). */
    private static void oneByOne(float[] x, int rows, int cols, int k, float[] floors, int[] indices, float[] values) {
        long[] candidates = new long[cols];
        long[] best = new long[k];
        int[] laneBits = new int[V];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            int n = candidates(x, base, cols, floors[r], laneBits, candidates, 1, 0);
            Arrays.fill(best, Long.MIN_VALUE);
            for (int i = 0; i < n; i++) {
                long c = candidates[i];
                if (c > best[k - 1]) {
                    for (int s = 0; s < k; s++) {
                        long b = best[s];
                        best[s] = Math.max(b, c);
                        c = Math.min(b, c);
                    }
                }
            }
            for (int s = 0; s < k; s++) {
                int col = ~(int) best[s];
                indices[r * k + s] = col;
                values[r * k + s] = x[base + col];
            }
        }
    }

    /**
     * Writes the ranked longs of the row's scores at least {@code floor} to
     * {@code out[i·stride + offset]}, i = 0, 1, …; returns their count.
     */
    private static int candidates(float[] x, int base, int cols, float floor, int[] laneBits, long[] out, int stride,
                                  int offset) {
        int vectors = S.loopBound(cols) / V;
        IntVector zero = IntVector.zero(I);
        int n = 0;
        for (int v0 = 0; v0 < vectors; v0 += HIT_BLOCK) {
            int count = Math.min(HIT_BLOCK, vectors - v0);
            IntVector bits = zero;
            for (int t = 0; t < count; t++) {
                VectorMask<Float> hit = FloatVector.fromArray(S, x, base + (v0 + t) * V).compare(VectorOperators.GE, floor);
                bits = bits.or(zero.blend(1 << t, hit.cast(I)));
            }
            bits.intoArray(laneBits, 0);
            // bit b of word q: vector v0 + b % 16, lane 4q + b / 16
            for (int q = 0; q < V; q += 4) {
                long word = laneBits[q] | (long) laneBits[q + 1] << 16 | (long) laneBits[q + 2] << 32
                        | (long) laneBits[q + 3] << 48;
                while (word != 0) {
                    int b = Long.numberOfTrailingZeros(word);
                    word &= word - 1;
                    int col = (v0 + (b & 15)) * V + q + (b >>> 4);
                    out[n++ * stride + offset] = ranked(x[base + col], col);
                }
            }
        }
        for (int col = vectors * V; col < cols; col++) {
            if (x[base + col] >= floor) {
                out[n++ * stride + offset] = ranked(x[base + col], col);
            }
        }
        return n;
    }

    /**
     * A long ordered as the scalar twin picks: the score's bits made order-preserving as a signed
     * int ({@code +0f} first, so −0 ties with +0), above the complemented column.
     */
    private static long ranked(float score, int col) {
        int bits = Float.floatToRawIntBits(score + 0f);
        return (long) (bits ^ ((bits >> 31) >>> 1)) << 32 | (~col & 0xffff_ffffL);
    }

    private static boolean hasNaN(float[] x, int n) {
        VectorMask<Float> nan = S.maskAll(false);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            nan = nan.or(v.compare(VectorOperators.NE, v));
        }
        boolean any = nan.anyTrue();
        for (; i < n; i++) {
            any |= Float.isNaN(x[i]);
        }
        return any;
    }
}
