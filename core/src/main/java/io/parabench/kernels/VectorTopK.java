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
 *       {@code floor}. With fewer than 16 lanes (256 and 128 bits) a row keeps 16 maxima all the
 *       same, in two or four vectors over alternate vectors of the row
 *       ({@link #kthLargestOfSets}): the k-th largest of 8 lane maxima of a row of 256 is their
 *       smallest, and admitted 20.8 Gaussian scores a row for k = 8 against 10.4 for 16 maxima.
 *       For k above the lane count (and above 16), the smallest of k or more group maxima. The
 *       same loads feed an int max of the magnitudes: a NaN is the only float whose magnitude
 *       bits exceed infinity's.</li>
 *   <li><b>Candidates</b>: per vector, {@code x - floor}, whose sign bit is clear exactly when
 *       {@code x >= floor} for a finite floor other than +0 (a difference of floats is 0 only for
 *       equal floats, with subnormals, and never rounds across 0; a +0 floor becomes −0, +∞
 *       becomes {@code MAX_VALUE}, which only admits more, and a −∞ floor admits the whole row).
 *       The inverted sign bits of up to 16 vectors shift into int lanes, read back as 64-bit words
 *       (10.7 candidates a row on average for rows of 256 Gaussian scores and k = 8). Each
 *       candidate is written as one long, its raw bits above its index, by three steps per word
 *       with no branch (the count advances by whether the word still had a bit; the index comes
 *       from a table of the bit's offset), then a loop for the rare rest.</li>
 *   <li><b>Selection</b>, for k up to {@link #SIDE_BY_SIDE_K}: the rows of a group of
 *       {@code LongVector} lanes (8 at 512 bits) are selected side by side, one row per lane.
 *       The i-th candidates of the group's rows are one vector; turning the bits into keys and
 *       the index into {@code MAX_VALUE} minus it makes each long lane the score's
 *       order-preserving key above the inverted index: the largest long is the largest score
 *       and, among equal scores (−0 equals +0, as in the twin's {@code >}), the lowest column,
 *       which is exactly the scalar twin's pick order. Lanes past their row's count are masked
 *       to {@link Long#MIN_VALUE}, and the vector passes through eight sorted best-so-far
 *       vectors by lane-wise max/min exchanges. So no branch depends on a score. With k = 8 at
 *       512 and 256 bits the eight best vectors of a full group are transposed (three rounds of
 *       rearrange and blend for eight rows, two for four), so each row's picks go out as whole
 *       vectors: indices from the low halves, values from the keys (a group with a zero pick
 *       reads its values from x, as the keys rank {@code x + 0f} and −0 would come back +0).
 *       At 256 bits this replaced 32 scalar index computations and x loads a group: in one JVM,
 *       calls alternated, rows of 256 (3 December 2026, AMD EPYC Zen 5, JDK 17, geomeans of
 *       rounds 9–20), with {@code -XX:UseAVX=2} 1.10×, 1.05× (1M scores), 1.06×, 1.02× (64K);
 *       with {@code -XX:MaxVectorSize=32} 1.08×; at 512 bits, where nothing changed, 1.04× and
 *       0.98×. At 128 bits (groups of two rows) the picks still go out one by one. For larger
 *       k, and rows longer than {@link #SIDE_BY_SIDE_COLS}, each row's candidates pass through a
 *       sorted best list one at a time.</li>
 * </ol>
 * Measured at rows of 256, k = 8 (JDK 17, 512-bit, 1M Gaussian scores, 2 December 2026). In the
 * dev harness (variants alternating in one process, median µs a call, load 1.3–1.8): the bound
 * pass about 80, the hit bits about 120, the extraction about 150 and the selection with its
 * output about 60 for the version before this one (427 in all, 14:34 UTC); writing the picks
 * through the transpose instead of 64 scalar index computations and x loads a group, and
 * building the hit bits from the mask as a vector (a float mask's vector is −1f) with the index
 * from the offset table: 404 against 461 (14:41); the hit bits by subtraction instead of a
 * compare (C2 on JDK 17 turns a compare mask into a vector with three instructions): 447
 * against 479 (14:51, load 1.4); three steps a word instead of four: 412 against 425 (14:55).
 * JMH {@code KernelBenchmark.topKRouter}, this version and the one before alternating, one run
 * each per pair (15:00–15:02 UTC, load 4.2 falling to 2.2): 12.2, 12.2, 12.0, 11.8 GB/s against
 * 8.7, 5.6, 6.9, 9.7; at 256 bits 6.1, 6.4 against 4.7, 5.9; at 128 bits 3.0, 3.5 against 2.7, 2.4.
 * Tried and slower: the picks written through gathers (a constant index map over the stored best
 * vectors; the method grew past C2's node-count inlining cutoff and the gather went
 * un-intrinsified, boxing 427 KB a call); the hit bits made in the bound pass from the row's
 * registers and kept per row (64 B a row), so x is read once: 522 against 404, since the
 * extraction's x loads then miss to L3; both passes blocked by 64 or 256 rows so the second
 * reads x from L2 (timing only): no faster, the hit pass does not wait on the re-read. Earlier
 * (session 5): four unrolled steps that build longs in scalar code; the hit words read through
 * {@code LongVector.lane} (at 256 bits); the floors of a 16-row block sorted by a network after a
 * gather transpose; and bound, candidates and selection fused per block of rows (with the picks
 * copied out at the end so that a NaN still stops everything before a write): 10–15% slower than
 * the two passes. Rows shorter than the groups need, and k beyond 32, take the scalar twin's k
 * passes.
 *
 * <p>Stateless and thread-safe; one {@code topK} call allocates its scratch (a long per column
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
     * Longest rows selected side by side: their candidate matrix (a long per column and row of
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
    /**
     * Maxima a row's floor is taken from: at least 16, so with fewer lanes than that each row keeps
     * {@link #FLOOR_SETS} vectors of maxima, over every {@code FLOOR_SETS}-th vector of the row.
     */
    private static final int FLOOR_MAXIMA = 16;
    /** Vectors of maxima per row: one at 512 bits, two at 256, four at 128. */
    private static final int FLOOR_SETS = Math.max(1, FLOOR_MAXIMA / V);
    /** Vectors whose hit masks share one int lane's bits in {@link #candidates}: 16, so four lanes fill a long. */
    private static final int HIT_BLOCK = 16;
    /** Magnitude bits of +∞; anything above is a NaN. */
    private static final int INFINITY_BITS = 0x7f80_0000;
    /** The order-preserving key of −∞, the smallest a floor may have (below it the bits are a NaN's). */
    private static final int NEGATIVE_INFINITY_KEY = 0x807f_ffff;
    /** The even int lanes: the low halves of the long lanes, where a candidate keeps its index. */
    private static final VectorMask<Integer> LOW_HALVES = VectorMask.fromLong(I, 0x5555_5555_5555_5555L);
    /**
     * Offset from a hit word's first score of the score bit b stands for: b % 16 vectors on, lane
     * (0, 2, 1, 3)[b / 16]; b = 64 (an empty word) gives 0. 128 entries, so {@code b & 127} needs
     * no range check.
     */
    private static final int[] HIT_OFFSETS = new int[128];
    /** Transpose of eight long vectors: UPd moves lane l − d to lane l, DOWNd lane l + d; HASd the lanes with bit d. */
    private static final VectorShuffle<Long> UP1 = VectorShuffle.iota(L, -1, 1, true);
    private static final VectorShuffle<Long> UP2 = VectorShuffle.iota(L, -2, 1, true);
    private static final VectorShuffle<Long> UP4 = VectorShuffle.iota(L, -4, 1, true);
    private static final VectorShuffle<Long> DOWN1 = VectorShuffle.iota(L, 1, 1, true);
    private static final VectorShuffle<Long> DOWN2 = VectorShuffle.iota(L, 2, 1, true);
    private static final VectorShuffle<Long> DOWN4 = VectorShuffle.iota(L, 4, 1, true);
    private static final VectorMask<Long> HAS1 = VectorMask.fromLong(L, 0xaa);
    private static final VectorMask<Long> HAS2 = VectorMask.fromLong(L, 0xcc);
    private static final VectorMask<Long> HAS4 = VectorMask.fromLong(L, 0xf0);
    /** Both halves of an int vector take the even (odd) lanes: the indices (keys) of a transposed row of picks. */
    private static final VectorShuffle<Integer> EVENS = VectorShuffle.fromOp(I, j -> (2 * j) % I.length());
    private static final VectorShuffle<Integer> ODDS = VectorShuffle.fromOp(I, j -> (2 * j + 1) % I.length());
    private static final VectorMask<Integer> HIGH_HALF = VectorMask.fromLong(I, -1L << (I.length() / 2));

    static {
        for (int b = 0; b < Long.SIZE; b++) {
            HIT_OFFSETS[b] = (b & 15) * V + ((b >>> 3) & 2 | (b >>> 5) & 1);
        }
    }

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
        boolean sets = FLOOR_SETS > 1 && k <= FLOOR_SETS * V && bound >= FLOOR_SETS * V;
        // two rings: a row's ranks are counted one row later, so their loads find the stores written
        int[] ring = sets ? new int[4 * FLOOR_SETS * V] : null;
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            if (sets) {
                for (int u = 0; u < FLOOR_SETS; u++) {
                    IntVector bits = FloatVector.fromArray(S, x, base + u * V).reinterpretAsInts();
                    IntVector maxima = bits;
                    magnitudes = magnitudes.max(bits.and(0x7fff_ffff));
                    for (int j = (u + FLOOR_SETS) * V; j < bound; j += FLOOR_SETS * V) {
                        bits = FloatVector.fromArray(S, x, base + j).reinterpretAsInts();
                        maxima = maxima.max(bits);
                        magnitudes = magnitudes.max(bits.and(0x7fff_ffff));
                    }
                    IntVector half = keys(maxima).lanewise(VectorOperators.ASHR, 1);
                    int at = (r & 1) * 2 * FLOOR_SETS * V;
                    half.intoArray(ring, at + u * V);
                    half.intoArray(ring, at + (FLOOR_SETS + u) * V);
                }
                for (int j = bound; j < cols; j++) {
                    if (Float.isNaN(x[base + j])) {
                        return true;
                    }
                }
                if (r > 0) {
                    floors[r - 1] = kthLargestOfSets(ring, ((r - 1) & 1) * 2 * FLOOR_SETS * V, k);
                }
                if (r == rows - 1) {
                    floors[r] = kthLargestOfSets(ring, (r & 1) * 2 * FLOOR_SETS * V, k);
                }
                continue;
            }
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

    /**
     * {@link #kthLargest} for {@link #FLOOR_SETS} vectors of maxima, whose halved keys stand twice
     * over in {@code ring} from {@code from}: the maxima rotated by d are then a load at offset d,
     * not a shuffle across vectors. The caller counts a row's ranks one row after storing its
     * keys, so these loads, which straddle two stores, do not wait for them (1.06–1.07× against
     * counting at once). Against the 8 or 4 lane maxima, in one JVM, calls alternated (geomean of
     * rounds 9–20, after the JIT's warm-up), top-k of 4096 rows of 256, k = 8 (3 December 2026,
     * AMD EPYC Zen 5, JDK 17): 1.21× with {@code -XX:UseAVX=2}, 1.04× at 256 bits on AVX-512's
     * registers, 1.43× at 128 bits; for 256 rows 1.06×, 0.96× and 1.10×.
     */
    private static float kthLargestOfSets(int[] ring, int from, int k) {
        int n = FLOOR_SETS * V;
        int kth = Integer.MAX_VALUE;
        for (int u = 0; u < FLOOR_SETS; u++) {
            IntVector half = IntVector.fromArray(I, ring, from + u * V);
            IntVector rank = IntVector.zero(I);
            for (int d = 1; d < n; d++) {
                rank = rank.add(half.sub(IntVector.fromArray(I, ring, from + u * V + d)).lanewise(VectorOperators.LSHR, 31));
            }
            kth = Math.min(kth, half.blend(Integer.MAX_VALUE, rank.compare(VectorOperators.GE, k)).reduceLanes(VectorOperators.MIN));
        }
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
     * candidate (raw bits, index) is a ranked long once the bits become a key and the index
     * {@code MAX_VALUE} minus it, so the ranked longs are made here, a vector at a time; lanes
     * past a row's count are masked to {@link Long#MIN_VALUE}.
     */
    private static void sideBySide(float[] x, int rows, int cols, int k, float[] floors, int[] indices,
                                   float[] values) {
        int lanes = ROWS_SIDE_BY_SIDE;
        long[] candidates = new long[lanes * (cols + 1)];
        int[] counts = new int[2 * lanes];
        long[] laneBits = new long[hitWords(cols)];
        // an output int vector's high half is the next row with eight long lanes, the same row's last picks with four
        IntVector rowStep = IntVector.zero(I).blend(lanes == 8 ? cols : 0, HIGH_HALF);
        long[] best = new long[SIDE_BY_SIDE_K * lanes];
        LongVector none = LongVector.broadcast(L, Long.MIN_VALUE);
        IntVector noneHalves = none.reinterpretAsInts();
        for (int r0 = 0; r0 < rows; r0 += lanes) {
            int group = Math.min(lanes, rows - r0);
            int most = 0;
            for (int rr = 0; rr < group; rr++) {
                int r = r0 + rr;
                int n = candidates(x, r * cols, cols, floors[r], laneBits, candidates, lanes, rr);
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
                IntVector pairs = LongVector.fromArray(L, candidates, lanes * i).reinterpretAsInts();
                // MAX_VALUE - index is MAX_VALUE ^ index for an index in 0 .. MAX_VALUE
                LongVector c = keys(pairs.reinterpretAsFloats().add(0f).reinterpretAsInts())
                        .blend(pairs.lanewise(VectorOperators.XOR, Integer.MAX_VALUE), LOW_HALVES)
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
            if ((lanes == 8 || lanes == 4) && k == SIDE_BY_SIDE_K && group == lanes) {
                // Transpose of the longs, so each row's picks go out as whole vectors. Two rounds
                // make 4x4 blocks (four lanes: u0..u3 hold rows r0.. r0+3's first four picks, u4..u7
                // their last four); eight lanes take a third round into whole rows.
                LongVector t0 = b0.blend(b1.rearrange(UP1), HAS1);
                LongVector t1 = b0.rearrange(DOWN1).blend(b1, HAS1);
                LongVector t2 = b2.blend(b3.rearrange(UP1), HAS1);
                LongVector t3 = b2.rearrange(DOWN1).blend(b3, HAS1);
                LongVector t4 = b4.blend(b5.rearrange(UP1), HAS1);
                LongVector t5 = b4.rearrange(DOWN1).blend(b5, HAS1);
                LongVector t6 = b6.blend(b7.rearrange(UP1), HAS1);
                LongVector t7 = b6.rearrange(DOWN1).blend(b7, HAS1);
                LongVector u0 = t0.blend(t2.rearrange(UP2), HAS2);
                LongVector u2 = t0.rearrange(DOWN2).blend(t2, HAS2);
                LongVector u1 = t1.blend(t3.rearrange(UP2), HAS2);
                LongVector u3 = t1.rearrange(DOWN2).blend(t3, HAS2);
                LongVector u4 = t4.blend(t6.rearrange(UP2), HAS2);
                LongVector u6 = t4.rearrange(DOWN2).blend(t6, HAS2);
                LongVector u5 = t5.blend(t7.rearrange(UP2), HAS2);
                LongVector u7 = t5.rearrange(DOWN2).blend(t7, HAS2);
                // each int vector of output takes its low half from lo_q and its high half from hi_q:
                // two rows (eight lanes) or one row's two halves (four lanes), rowsPerVector rows on
                IntVector lo0;
                IntVector hi0;
                IntVector lo1;
                IntVector hi1;
                IntVector lo2;
                IntVector hi2;
                IntVector lo3;
                IntVector hi3;
                int rowsPerVector;
                if (lanes == 8) {
                    lo0 = u0.blend(u4.rearrange(UP4), HAS4).reinterpretAsInts();
                    lo2 = u0.rearrange(DOWN4).blend(u4, HAS4).reinterpretAsInts();
                    hi0 = u1.blend(u5.rearrange(UP4), HAS4).reinterpretAsInts();
                    hi2 = u1.rearrange(DOWN4).blend(u5, HAS4).reinterpretAsInts();
                    lo1 = u2.blend(u6.rearrange(UP4), HAS4).reinterpretAsInts();
                    lo3 = u2.rearrange(DOWN4).blend(u6, HAS4).reinterpretAsInts();
                    hi1 = u3.blend(u7.rearrange(UP4), HAS4).reinterpretAsInts();
                    hi3 = u3.rearrange(DOWN4).blend(u7, HAS4).reinterpretAsInts();
                    rowsPerVector = 2;
                } else {
                    lo0 = u0.reinterpretAsInts();
                    hi0 = u4.reinterpretAsInts();
                    lo1 = u1.reinterpretAsInts();
                    hi1 = u5.reinterpretAsInts();
                    lo2 = u2.reinterpretAsInts();
                    hi2 = u6.reinterpretAsInts();
                    lo3 = u3.reinterpretAsInts();
                    hi3 = u7.reinterpretAsInts();
                    rowsPerVector = 1;
                }
                int out = r0 * SIDE_BY_SIDE_K;
                IntVector first = IntVector.broadcast(I, Integer.MAX_VALUE - r0 * cols).sub(rowStep);
                first.sub(lo0.rearrange(EVENS).blend(hi0.rearrange(EVENS), HIGH_HALF)).intoArray(indices, out);
                first.sub(lo1.rearrange(EVENS).blend(hi1.rearrange(EVENS), HIGH_HALF)).sub(rowsPerVector * cols).intoArray(indices, out + V);
                first.sub(lo2.rearrange(EVENS).blend(hi2.rearrange(EVENS), HIGH_HALF)).sub(2 * rowsPerVector * cols).intoArray(indices, out + 2 * V);
                first.sub(lo3.rearrange(EVENS).blend(hi3.rearrange(EVENS), HIGH_HALF)).sub(3 * rowsPerVector * cols).intoArray(indices, out + 3 * V);
                IntVector k0 = lo0.rearrange(ODDS).blend(hi0.rearrange(ODDS), HIGH_HALF);
                IntVector k1 = lo1.rearrange(ODDS).blend(hi1.rearrange(ODDS), HIGH_HALF);
                IntVector k2 = lo2.rearrange(ODDS).blend(hi2.rearrange(ODDS), HIGH_HALF);
                IntVector k3 = lo3.rearrange(ODDS).blend(hi3.rearrange(ODDS), HIGH_HALF);
                // the keys' own inverse (written out: C2 stops inlining calls in a method this long)
                FloatVector v0 = k0.lanewise(VectorOperators.XOR, k0.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reinterpretAsFloats();
                FloatVector v1 = k1.lanewise(VectorOperators.XOR, k1.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reinterpretAsFloats();
                FloatVector v2 = k2.lanewise(VectorOperators.XOR, k2.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reinterpretAsFloats();
                FloatVector v3 = k3.lanewise(VectorOperators.XOR, k3.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reinterpretAsFloats();
                // the keys rank x + 0f, so a −0 pick comes back as +0: groups with a zero pick read x
                if (v0.abs().min(v1.abs()).min(v2.abs().min(v3.abs())).compare(VectorOperators.EQ, 0f).anyTrue()) {
                    for (int j = 0; j < lanes * SIDE_BY_SIDE_K; j++) {
                        values[out + j] = x[(r0 + j / SIDE_BY_SIDE_K) * cols + indices[out + j]];
                    }
                } else {
                    v0.intoArray(values, out);
                    v1.intoArray(values, out + V);
                    v2.intoArray(values, out + 2 * V);
                    v3.intoArray(values, out + 3 * V);
                }
                continue;
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
        long[] candidates = new long[cols + 1];
        long[] best = new long[k];
        long[] laneBits = new long[hitWords(cols)];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            int n = candidates(x, base, cols, floors[r], laneBits, candidates, 1, 0);
            Arrays.fill(best, Long.MIN_VALUE);
            for (int i = 0; i < n; i++) {
                long c = ranked((int) (candidates[i] >>> 32), Integer.MAX_VALUE - (int) candidates[i]);
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
     * Writes a long for each of the row's scores at least {@code floor} (and possibly a few more
     * below it: the selection is exact), its raw bits above its index into x, to
     * {@code out[i·stride + offset]}, i = 0, 1, …; returns their count. {@code out} holds one
     * more than the row could need: the steps without a branch write a spare where the next one
     * goes. Three such steps take a word's candidates (2.7 a word on average for the router's
     * rows; three steps were 3% faster than four, 14:55 UTC), a loop the rest. {@code laneBits}
     * is scratch of {@link #hitWords}{@code (cols)} longs.
     */
    private static int candidates(float[] x, int base, int cols, float floor, long[] laneBits, long[] out, int stride,
                                  int offset) {
        int vectors = S.loopBound(cols) / V;
        int pos = offset;
        // x >= floor exactly when x - bound has no sign bit, for a finite bound other than +0
        FloatVector bound = FloatVector.broadcast(S, floor == 0f ? -0f : Math.min(floor, Float.MAX_VALUE));
        boolean all = floor == Float.NEGATIVE_INFINITY;
        // Every block's hit bits first, then the words: a word loaded right after its block's
        // vector store (as before) waited on the store; in one JVM, calls alternated (3 December
        // 2026, AMD EPYC Zen 5, JDK 17, 4096 and 256 rows of 256): 1.06× and 0.98× at 512 bits,
        // 1.10× and 1.10× with -XX:UseAVX=2, 1.11× and 1.10× at 256 bits, 1.15× and 1.12× at 128.
        for (int v0 = 0; v0 < vectors; v0 += HIT_BLOCK) {
            int count = Math.min(HIT_BLOCK, vectors - v0);
            IntVector hits = IntVector.zero(I);
            for (int t = 0; t < count; t++) {
                IntVector d = FloatVector.fromArray(S, x, base + (v0 + t) * V).sub(bound).reinterpretAsInts();
                // the sign bit of the difference, inverted, comes in at the top: vector t ends at bit 16 + t
                hits = hits.lanewise(VectorOperators.LSHR, 1).or(d.not().and(Integer.MIN_VALUE));
            }
            if (count < HIT_BLOCK) {
                hits = hits.lanewise(VectorOperators.LSHR, HIT_BLOCK - count);
            }
            // a floor of -inf admits every score (-inf - -inf is NaN, sign set)
            hits = hits.or(all ? (1 << count) - 1 << 16 : 0);
            hits.reinterpretAsLongs().intoArray(laneBits, v0 / HIT_BLOCK * (V / 2));
        }
        for (int v0 = 0; v0 < vectors; v0 += HIT_BLOCK) {
            int w0 = v0 / HIT_BLOCK * (V / 2);
            int from = base + v0 * V;
            for (int q = 0; q < V; q += 4) {
                // bit b: vector v0 + b % 16, lane q + (0, 2, 1, 3)[b / 16]
                long word = laneBits[w0 + q / 2] >>> 16 | laneBits[w0 + q / 2 + 1] & 0xffff_0000_ffff_0000L;
                if (word == 0) {
                    continue;
                }
                // three steps with no branch: an empty word (b = 64) rewrites the spare at pos and does not advance
                int at = from + q + HIT_OFFSETS[Long.numberOfTrailingZeros(word) & 127];
                out[pos] = (long) Float.floatToRawIntBits(x[at]) << 32 | at;
                pos += word != 0 ? stride : 0;
                word &= word - 1;
                at = from + q + HIT_OFFSETS[Long.numberOfTrailingZeros(word) & 127];
                out[pos] = (long) Float.floatToRawIntBits(x[at]) << 32 | at;
                pos += word != 0 ? stride : 0;
                word &= word - 1;
                at = from + q + HIT_OFFSETS[Long.numberOfTrailingZeros(word) & 127];
                out[pos] = (long) Float.floatToRawIntBits(x[at]) << 32 | at;
                pos += word != 0 ? stride : 0;
                word &= word - 1;
                while (word != 0) {
                    at = from + q + HIT_OFFSETS[Long.numberOfTrailingZeros(word) & 127];
                    word &= word - 1;
                    out[pos] = (long) Float.floatToRawIntBits(x[at]) << 32 | at;
                    pos += stride;
                }
            }
        }
        for (int at = base + vectors * V; at < base + cols; at++) {
            if (x[at] >= floor) {
                out[pos] = (long) Float.floatToRawIntBits(x[at]) << 32 | at;
                pos += stride;
            }
        }
        return (pos - offset) / stride;
    }

    /** Longs of hit bits {@link #candidates} needs for a row of {@code cols}: V/2 per block of {@link #HIT_BLOCK} vectors. */
    private static int hitWords(int cols) {
        int vectors = S.loopBound(cols) / V;
        return Math.max(1, (vectors + HIT_BLOCK - 1) / HIT_BLOCK) * (V / 2);
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
