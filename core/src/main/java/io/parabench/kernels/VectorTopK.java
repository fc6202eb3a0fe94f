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
 *       {@code floor} is at most the k-th largest of these V scores: each lane's rank is counted
 *       against the lanes rotated by 1 … V−1, on order-preserving int keys halved so that "the
 *       other lane is larger" is the sign bit of a difference (the dropped bit can only lower
 *       the floor, which is clamped at −∞'s key). So at least k scores are at least
 *       {@code floor}. For k above the lane count, the smallest of k or more group maxima. The
 *       same loads feed an int max of the magnitudes: a NaN is the only float whose magnitude
 *       bits exceed infinity's.</li>
 *   <li><b>Candidates</b>: a float compare against {@code floor} per vector; the hit masks of
 *       up to 16 vectors are gathered as bits of int lanes, read back as 64-bit words (10.7
 *       candidates a row on average for rows of 256 Gaussian scores and k = 8). Each candidate
 *       is written as a pair of ints, {@code MAX_VALUE} minus its index and its raw bits, by up
 *       to four steps per word with no branch (the count advances by whether the word still
 *       had a bit), then a loop for the rare rest.</li>
 *   <li><b>Selection</b>, for k up to {@link #SIDE_BY_SIDE_K}: the rows of a group of
 *       {@code LongVector} lanes (8 at 512 bits) are selected side by side, one row per lane.
 *       The i-th candidate pairs of the group's rows are one int vector; turning the bits lanes
 *       into keys makes each long lane the score's order-preserving key above the inverted
 *       index: the largest long is the largest score and, among equal scores (−0 equals +0, as
 *       in the twin's {@code >}), the lowest column, which is exactly the scalar twin's pick
 *       order. Lanes past their row's count are masked to {@link Long#MIN_VALUE}, and the
 *       vector passes through eight sorted best-so-far vectors by lane-wise max/min exchanges.
 *       So no branch depends on a score. For larger k, and rows longer than
 *       {@link #SIDE_BY_SIDE_COLS}, each row's candidates pass through a sorted best list one at
 *       a time.</li>
 * </ol>
 * Measured at rows of 256, k = 8 (JDK 17, 512-bit, 1M Gaussian scores, dev harness alternating
 * the two versions in one process, 2 December, load 1.6–2): 466 µs a call (median) against 533
 * for the version before, which built each candidate's long in scalar code (about 28
 * instructions a candidate) behind a mispredicted exit per word, padded short rows with a
 * branchy loop and counted ranks with one chain of 15 rotations and mask-to-vector conversions.
 * By phase (microbenchmarks on cache-resident rows): the rank floor 9.8 ns a row against 20.8;
 * candidates about 50 ns a row either way, of which the hit bits are half. Tried and slower:
 * four unrolled steps that still build longs in scalar code; the hit words read through
 * {@code LongVector.lane} (at 256 bits); the floors of a 16-row block sorted by a network after a
 * gather transpose; and bound, candidates and selection fused per block of rows (with the picks
 * copied out at the end so that a NaN still stops everything before a write): 10–15% slower than
 * the two passes. Rows shorter than the groups need, and k beyond 32, take the scalar twin's k
 * passes.
 *
 * <p>Stateless and thread-safe; one {@code topK} call allocates its scratch (two ints per column
 * and row of a group, plus a float per row).
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
     * Longest rows selected side by side: their candidate matrix (two ints per column and row of
     * the group) stays at most 64 KiB. Longer rows go one by one: a row of 16384 scores would
     * need 1 MiB per call; with that, whole rounds of calls at 64 rows of 16384 ran at about 1 GB/s
     * against 17 (dev harness, JDK 17), where one by one they run at 24.
     */
    static final int SIDE_BY_SIDE_COLS = 1024;
    /** Largest k of the vector path; beyond it the scalar twin's k passes. */
    static final int MAX_K = 32;
    /** Moves lane {@code l + 1} to lane l (wrapping): constant shuffles, so C2 checks them once. */
    private static final VectorShuffle<Integer> ROTATE_ONE = VectorShuffle.iota(I, 1, 1, true);
    /** Moves lane {@code l + 2} to lane l (wrapping): the step of both rotation chains in {@link #kthLargest}. */
    private static final VectorShuffle<Integer> ROTATE_TWO = VectorShuffle.iota(I, 2, 1, true);
    /** Vectors whose hit masks share one int lane's bits in {@link #candidates}: 16, so four lanes fill a long. */
    private static final int HIT_BLOCK = 16;
    /**
     * Candidates taken from a hit word with no branch per candidate: a word holds 2.6 on average
     * for the router's rows, so four steps cover all of it 88% of the time, and a loop takes the rest.
     */
    private static final int UNROLLED_HITS = 4;
    /** Magnitude bits of +∞; anything above is a NaN. */
    private static final int INFINITY_BITS = 0x7f80_0000;
    /** The order-preserving key of −∞, the smallest a floor may have (below it the bits are a NaN's). */
    private static final int NEGATIVE_INFINITY_KEY = 0x807f_ffff;
    /** The even int lanes: the low halves of the long lanes, where a candidate pair keeps its index. */
    private static final VectorMask<Integer> LOW_HALVES = VectorMask.fromLong(I, 0x5555_5555_5555_5555L);

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

    /**
     * A floor for the k-th largest (k ≤ V) of the floats whose bits are {@code bits}' lanes: a
     * lane's rank is how many lanes exceed it. The keys are halved, so a comparison is the sign of
     * a difference (no mask to turn into a count), and the rotations run as two chains (odd and
     * even distances) of half the length; the halved key's lost bit can only lower the floor.
     */
    private static float kthLargest(IntVector bits, int k) {
        IntVector half = keys(bits).lanewise(VectorOperators.ASHR, 1);
        IntVector odd = half.rearrange(ROTATE_ONE);
        IntVector even = half.rearrange(ROTATE_TWO);
        IntVector rank = half.sub(odd).lanewise(VectorOperators.LSHR, 31);
        for (int r = 2; r < V; r += 2) {
            odd = odd.rearrange(ROTATE_TWO);
            rank = rank.add(half.sub(even).lanewise(VectorOperators.LSHR, 31))
                    .add(half.sub(odd).lanewise(VectorOperators.LSHR, 31));
            even = even.rearrange(ROTATE_TWO);
        }
        int kth = half.blend(Integer.MAX_VALUE, rank.compare(VectorOperators.GE, k)).reduceLanes(VectorOperators.MIN);
        int key = Math.max(kth << 1, NEGATIVE_INFINITY_KEY);
        return Float.intBitsToFloat(key ^ ((key >> 31) >>> 1));
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
     * one vector, and pass through the eight sorted best vectors ({@code b0} the largest). A
     * candidate pair of ints (index, raw bits) is one long lane once the bits become a key, so the
     * ranked longs are made here, a vector at a time; lanes past a row's count are masked to
     * {@link Long#MIN_VALUE}.
     */
    private static void sideBySide(float[] x, int rows, int cols, int k, float[] floors, int[] indices,
                                   float[] values) {
        int lanes = ROWS_SIDE_BY_SIDE;
        int[] candidates = new int[2 * lanes * (cols + 1)];
        long[] laneBits = new long[V / 2];
        int[] counts = new int[2 * lanes];
        long[] best = new long[SIDE_BY_SIDE_K * lanes];
        LongVector none = LongVector.broadcast(L, Long.MIN_VALUE);
        IntVector noneHalves = none.reinterpretAsInts();
        for (int r0 = 0; r0 < rows; r0 += lanes) {
            int group = Math.min(lanes, rows - r0);
            int most = 0;
            for (int rr = 0; rr < group; rr++) {
                int r = r0 + rr;
                int n = candidates(x, r * cols, cols, floors[r], laneBits, candidates, 2 * lanes, 2 * rr);
                counts[2 * rr] = n;
                counts[2 * rr + 1] = n;
                most = Math.max(most, n);
            }
            for (int i = 2 * group; i < 2 * lanes; i++) {
                counts[i] = 0;
            }
            // both halves of a long lane hold its row's count: masks on ints, which every width compiles
            IntVector count = IntVector.fromArray(I, counts, 0);
            LongVector b0 = none;
            LongVector b1 = none;
            LongVector b2 = none;
            LongVector b3 = none;
            LongVector b4 = none;
            LongVector b5 = none;
            LongVector b6 = none;
            LongVector b7 = none;
            for (int i = 0; i < most; i++) {
                IntVector pairs = IntVector.fromArray(I, candidates, 2 * lanes * i);
                LongVector c = keys(pairs.reinterpretAsFloats().add(0f).reinterpretAsInts()).blend(pairs, LOW_HALVES)
                        .blend(noneHalves, count.compare(VectorOperators.LE, i)).reinterpretAsLongs();
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
                    int at = Integer.MAX_VALUE - (int) best[s * lanes + rr];
                    indices[r * k + s] = at - r * cols;
                    values[r * k + s] = x[at];
                }
            }
        }
    }

    /** One row at a time: a candidate above the k-th best so far passes through the sorted best list (k beyond 8, long rows). */
    private static void oneByOne(float[] x, int rows, int cols, int k, float[] floors, int[] indices, float[] values) {
        int[] candidates = new int[2 * (cols + 1)];
        long[] laneBits = new long[V / 2];
        long[] best = new long[k];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            int n = candidates(x, base, cols, floors[r], laneBits, candidates, 2, 0);
            Arrays.fill(best, Long.MIN_VALUE);
            for (int i = 0; i < n; i++) {
                long c = ranked(candidates[2 * i + 1], candidates[2 * i]);
                if (c > best[k - 1]) {
                    for (int s = 0; s < k; s++) {
                        long b = best[s];
                        best[s] = Math.max(b, c);
                        c = Math.min(b, c);
                    }
                }
            }
            for (int s = 0; s < k; s++) {
                int at = Integer.MAX_VALUE - (int) best[s];
                indices[r * k + s] = at - base;
                values[r * k + s] = x[at];
            }
        }
    }

    /**
     * Writes a pair of ints for each of the row's scores at least {@code floor}, {@code MAX_VALUE}
     * minus its index into x and its raw bits, to {@code out[i·stride + offset]} and the int after,
     * i = 0, 1, …; returns their count. {@code out} holds one pair more than the row could need:
     * the steps without a branch write a spare pair where the next one goes.
     */
    private static int candidates(float[] x, int base, int cols, float floor, long[] laneBits, int[] out, int stride,
                                  int offset) {
        int vectors = S.loopBound(cols) / V;
        IntVector zero = IntVector.zero(I);
        int pos = offset;
        for (int v0 = 0; v0 < vectors; v0 += HIT_BLOCK) {
            int count = Math.min(HIT_BLOCK, vectors - v0);
            IntVector bits = zero;
            for (int t = 0; t < count; t++) {
                VectorMask<Float> hit = FloatVector.fromArray(S, x, base + (v0 + t) * V).compare(VectorOperators.GE, floor);
                bits = bits.or(zero.blend(1 << t, hit.cast(I)));
            }
            // Two int lanes per long: half the loads of reading ints (LongVector.lane was slower at 256 bits).
            bits.reinterpretAsLongs().intoArray(laneBits, 0);
            int from = base + v0 * V;
            for (int q = 0; q < V; q += 4) {
                // bit b: vector v0 + b % 16, lane q + (0, 2, 1, 3)[b / 16]
                long word = laneBits[q / 2] | laneBits[q / 2 + 1] << 16;
                if (word == 0) {
                    continue;
                }
                for (int u = 0; u < UNROLLED_HITS; u++) {
                    // an empty word (b = 64) rewrites the spare pair at pos and does not advance
                    int b = Long.numberOfTrailingZeros(word);
                    int at = from + (b & 15) * V + q + ((b >>> 3) & 2 | (b >>> 5) & 1);
                    out[pos] = Integer.MAX_VALUE - at;
                    out[pos + 1] = Float.floatToRawIntBits(x[at]);
                    pos += word != 0 ? stride : 0;
                    word &= word - 1;
                }
                while (word != 0) {
                    int b = Long.numberOfTrailingZeros(word);
                    word &= word - 1;
                    int at = from + (b & 15) * V + q + ((b >>> 3) & 2 | b >>> 5);
                    out[pos] = Integer.MAX_VALUE - at;
                    out[pos + 1] = Float.floatToRawIntBits(x[at]);
                    pos += stride;
                }
            }
        }
        for (int at = base + vectors * V; at < base + cols; at++) {
            if (x[at] >= floor) {
                out[pos] = Integer.MAX_VALUE - at;
                out[pos + 1] = Float.floatToRawIntBits(x[at]);
                pos += stride;
            }
        }
        return (pos - offset) / stride;
    }

    /**
     * A long ordered as the scalar twin picks: the score's bits made order-preserving as a signed
     * int ({@code +0f} first, so −0 ties with +0), above {@code MAX_VALUE} minus the index (the
     * lower column first among equal scores).
     */
    private static long ranked(int rawBits, int invertedIndex) {
        int bits = Float.floatToRawIntBits(Float.intBitsToFloat(rawBits) + 0f);
        return (long) (bits ^ ((bits >> 31) >>> 1)) << 32 | invertedIndex;
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
