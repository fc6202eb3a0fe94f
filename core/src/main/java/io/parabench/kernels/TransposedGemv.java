package io.parabench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.AND;
import static jdk.incubator.vector.VectorOperators.AND_NOT;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.OR;

/**
 * One row of X against sixteen rows of W ({@code y[l] (+)= Σ_p x[p]·w[(j0+l)·k + p]}, the decode
 * GEMV of {@link SkinnyGemm}) with the sixteen outputs in the lanes of one 512-bit vector. Each
 * step transposes an 8-column × 16-row block of W in registers, so that one vector holds sixteen
 * rows' weights of one column; then eight FMAs, in increasing column, add the block into the one
 * accumulator. Every lane is one {@link Math#fma} chain in increasing p from 0 (or C), the scalar
 * twin's order, so the bits equal the scalar chains' ({@code SkinnyGemm.eightChains}).
 *
 * <p><b>Skew.</b> The odd rows of a block trail the even rows by {@link #SKEW} = 32 columns (two
 * cache lines): a step reads the even rows at columns {@code p … p+7} and the odd rows at
 * {@code p−32 … p−25}. Without it, sixteen rows of W 8 KiB apart (k = 2048) sit in one set of the
 * 12-way L1 at every column, and the kernel read W a third slower than at k = 2064, where they do
 * not alias; with it, each set holds eight. The lane of row l then needs {@code x[p]} (l even) or
 * {@code x[p−32]} (l odd): {@link #pairs} packs both into one long per column, built once per call,
 * and one 64-bit broadcast of it is the x operand, as cheap as the unskewed float broadcast. The
 * even rows take columns {@code 0 … 31} in scalar chains before the steps and every row its last
 * columns after them, so no lane ever adds a term from outside its row. (Skewing rows 8–15 instead
 * needs an x operand of two broadcasts and a blend per column: it ran no faster.)
 *
 * <p>The transpose, per step:
 * <ol>
 *   <li>Distance 8 by loads: register r (r &lt; 8) is row r's eight columns in lanes 0–7 and row
 *       r+8's in lanes 8–15, i.e. a load of row r blended with a load of row r+8 eight floats
 *       earlier.</li>
 *   <li>Distances 4 and 2: pair registers (r, r+d); one is rotated by d lanes (a single-input
 *       {@code rearrange} with a constant shuffle, {@code vpermd}) and the two blended by a
 *       constant lane mask as {@code (a & ~m) | (b & m)}, which C2 folds into one
 *       {@code vpternlogd}.</li>
 *   <li>Distance 1 by 64-bit shifts ({@code vpsllq}/{@code vpsrlq} 32 move one float to the
 *       neighbouring lane and zero the other), so no shuffle is needed.</li>
 * </ol>
 * Per 128 weights: 16 loads, 16 {@code vpermd}, 8 shifts, 32 {@code vpternlogd}, 8 broadcasts,
 * 8 FMAs. JDK 17's C2 also re-expands each shuffle's bytes ({@code vpmovzxbd}) at every
 * {@code rearrange} instead of keeping the indices in a register; JDK 25 does not.
 *
 * <p>Measured (2 December 2026, JDK 17, 512-bit Zen 5, 1 thread, n = k = 2048; dev harness
 * medians of 150 calls, alternating processes, load 1.2–1.9, ±20% between processes): skewed
 * 17–25 GB/s of W from memory against 16–21 for the scalar chains and 14–24 unskewed; with W in
 * L2 (n = 64) 30–32 against 24. JMH ({@code GemmBenchmark.skinny}, m = 1, 2 forks, alternating with the
 * chains' jar, 14:36–14:40 UTC, load 1.2–1.9): 22.2 ± 6.4 and 23.6 ± 2.2 against 13.1 ± 1.7 and
 * 15.6 ± 2.4, i.e. about 50–60% of {@code skinnyReadBound} (40–46); at 14:48 (load 1.3–2.5)
 * 25.3 ± 2.8 against 16.4 ± 5.4 (66% and 37% of it); on two threads 45.0 and 48.1 against 33.3
 * and 33.4. On JDK 25 the harness gave 28 against 12–13. What still limits it: one accumulator is one FMA chain of eight dependent
 * steps per 128 weights (≤ 51 GB/s at 3.2 GHz even from L1), and sixteen concurrent streams of W
 * from memory. Two blocks of sixteen rows in one loop (two chains) made C2 box the vectors
 * (6–8 GB/s); a 16-column step with all sixteen registers live spilled (14); stage 4 by loads as
 * well (four loads per register) ran 10; byte shuffles ({@code vpermb}) were no faster than int
 * ones and need AVX512_VBMI; a gather ({@code fromArray} with an index map) of sixteen rows ran 5.
 * Loops carrying a vector must stay in a method that is called, not entered by on-stack
 * replacement: the OSR compile boxed the accumulator every step (3 GB/s).
 *
 * <p>Only for 16-lane species and k ≥ 40 (the scalar chains serve at 256 and 128 bits and for
 * shorter rows). Stateless; thread safe.
 */
final class TransposedGemv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_512;
    /** Rows of W per call: the lanes. */
    static final int ROWS = 16;
    /** Columns of W per step. */
    private static final int STEP = 8;
    /** Columns by which the odd rows of a block trail the even rows: two cache lines. */
    static final int SKEW = 32;
    /** Rotations by 4 and 2 lanes: lane i takes lane i−d ({@code UP}) or i+d ({@code DOWN}). */
    private static final VectorShuffle<Integer> UP4 = VectorShuffle.fromOp(I, i -> (i + 12) & 15);
    private static final VectorShuffle<Integer> DOWN4 = VectorShuffle.fromOp(I, i -> (i + 4) & 15);
    private static final VectorShuffle<Integer> UP2 = VectorShuffle.fromOp(I, i -> (i + 14) & 15);
    private static final VectorShuffle<Integer> DOWN2 = VectorShuffle.fromOp(I, i -> (i + 2) & 15);
    /** All bits set in lanes whose index has bit 3, 2, 1, 0 set (and, for EVEN, clear). */
    private static final IntVector M8 = lanesWithBit(8);
    private static final IntVector M4 = lanesWithBit(4);
    private static final IntVector M2 = lanesWithBit(2);
    private static final IntVector ODD = lanesWithBit(1);
    private static final IntVector EVEN = ODD.not();

    private TransposedGemv() {
    }

    /** True when this kernel serves one row of X with reduction length k on this JVM's vectors (one step at least). */
    static boolean applies(int k) {
        return FloatVector.SPECIES_PREFERRED.length() == ROWS && k >= SKEW + STEP;
    }

    private static IntVector lanesWithBit(int bit) {
        int[] lanes = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            lanes[i] = (i & bit) != 0 ? -1 : 0;
        }
        return IntVector.fromArray(I, lanes, 0);
    }

    /**
     * X's row as the x operands of the skewed lanes: entry p holds {@code x[p]} in its low half
     * (the even lanes) and {@code x[p − SKEW]} in its high half (the odd lanes), for
     * {@code SKEW ≤ p < k}; one 64-bit broadcast of it is the operand of a whole step column.
     */
    static long[] pairs(int k, float[] x) {
        long[] pairs = new long[k];
        for (int p = SKEW; p < k; p++) {
            pairs[p] = Float.floatToRawIntBits(x[p]) & 0xffff_ffffL | (long) Float.floatToRawIntBits(x[p - SKEW]) << 32;
        }
        return pairs;
    }

    /**
     * {@code c[(j0+l)·colStride] (+)= Σ_p x[p]·w[(j0+l)·k + p]} for l &lt; 16; W holds at least
     * {@code (j0+16)·k} floats, {@link #applies}(k), {@code xPairs} is {@link #pairs}(k, x) and
     * {@code lanes} a 16-float scratch array. Even rows take columns {@code 0 … SKEW−1} in scalar
     * chains first; then both run the vector steps (even rows at {@code SKEW + s}, odd rows at
     * {@code s}); each row finishes its columns in a scalar chain. One chain per row throughout.
     */
    static void sixteenRows(int k, float[] x, long[] xPairs, float[] w, int j0, float[] c, int colStride,
                            boolean accumulate, float[] lanes) {
        int steps = (k - SKEW) - (k - SKEW) % STEP;
        for (int l = 0; l < ROWS; l++) {
            float sum = accumulate ? c[(j0 + l) * colStride] : 0f;
            int row = (j0 + l) * k;
            for (int p = 0; l % 2 == 0 && p < SKEW; p++) {
                sum = Math.fma(x[p], w[row + p], sum);
            }
            lanes[l] = sum;
        }
        columns(k, steps, xPairs, w, j0 * k, lanes);
        for (int l = 0; l < ROWS; l++) {
            float sum = lanes[l];
            int row = (j0 + l) * k;
            for (int p = l % 2 == 0 ? SKEW + steps : steps; p < k; p++) {
                sum = Math.fma(x[p], w[row + p], sum);
            }
            c[(j0 + l) * colStride] = sum;
        }
    }

    /**
     * {@code steps} columns of the sixteen rows from {@code w[wOff]} (even rows from column
     * SKEW, odd rows from 0), sums in and out of {@code lanes}.
     */
    private static void columns(int k, int steps, long[] xPairs, float[] w, int wOff, float[] lanes) {
        FloatVector acc = FloatVector.fromArray(S, lanes, 0);
        // Row r is read at p - (r odd ? SKEW : 0); rows 8-15 land in lanes 8-15 from a load STEP earlier.
        int w0 = wOff;
        int w1 = wOff + k - SKEW;
        int w2 = wOff + 2 * k;
        int w3 = wOff + 3 * k - SKEW;
        int w4 = wOff + 4 * k;
        int w5 = wOff + 5 * k - SKEW;
        int w6 = wOff + 6 * k;
        int w7 = wOff + 7 * k - SKEW;
        int w8 = wOff + 8 * k - STEP;
        int w9 = wOff + 9 * k - STEP - SKEW;
        int w10 = wOff + 10 * k - STEP;
        int w11 = wOff + 11 * k - STEP - SKEW;
        int w12 = wOff + 12 * k - STEP;
        int w13 = wOff + 13 * k - STEP - SKEW;
        int w14 = wOff + 14 * k - STEP;
        int w15 = wOff + 15 * k - STEP - SKEW;
        for (int p = SKEW; p < SKEW + steps; p += STEP) {
            // Distance 8: lanes 0-7 row r, lanes 8-15 row r+8 (loaded eight floats earlier); odd rows SKEW behind.
            IntVector a0 = FloatVector.fromArray(S, w, w0 + p).reinterpretAsInts().lanewise(AND_NOT, M8)
                    .lanewise(OR, FloatVector.fromArray(S, w, w8 + p).reinterpretAsInts().lanewise(AND, M8));
            IntVector a1 = FloatVector.fromArray(S, w, w1 + p).reinterpretAsInts().lanewise(AND_NOT, M8)
                    .lanewise(OR, FloatVector.fromArray(S, w, w9 + p).reinterpretAsInts().lanewise(AND, M8));
            IntVector a2 = FloatVector.fromArray(S, w, w2 + p).reinterpretAsInts().lanewise(AND_NOT, M8)
                    .lanewise(OR, FloatVector.fromArray(S, w, w10 + p).reinterpretAsInts().lanewise(AND, M8));
            IntVector a3 = FloatVector.fromArray(S, w, w3 + p).reinterpretAsInts().lanewise(AND_NOT, M8)
                    .lanewise(OR, FloatVector.fromArray(S, w, w11 + p).reinterpretAsInts().lanewise(AND, M8));
            IntVector a4 = FloatVector.fromArray(S, w, w4 + p).reinterpretAsInts().lanewise(AND_NOT, M8)
                    .lanewise(OR, FloatVector.fromArray(S, w, w12 + p).reinterpretAsInts().lanewise(AND, M8));
            IntVector a5 = FloatVector.fromArray(S, w, w5 + p).reinterpretAsInts().lanewise(AND_NOT, M8)
                    .lanewise(OR, FloatVector.fromArray(S, w, w13 + p).reinterpretAsInts().lanewise(AND, M8));
            IntVector a6 = FloatVector.fromArray(S, w, w6 + p).reinterpretAsInts().lanewise(AND_NOT, M8)
                    .lanewise(OR, FloatVector.fromArray(S, w, w14 + p).reinterpretAsInts().lanewise(AND, M8));
            IntVector a7 = FloatVector.fromArray(S, w, w7 + p).reinterpretAsInts().lanewise(AND_NOT, M8)
                    .lanewise(OR, FloatVector.fromArray(S, w, w15 + p).reinterpretAsInts().lanewise(AND, M8));
            // Distance 4: lanes with bit 2 set come from the partner register rotated by 4.
            IntVector b0 = a0.lanewise(AND_NOT, M4)
                    .lanewise(OR, a4.rearrange(UP4).lanewise(AND, M4));
            IntVector b4 = a0.rearrange(DOWN4).lanewise(AND_NOT, M4)
                    .lanewise(OR, a4.lanewise(AND, M4));
            IntVector b1 = a1.lanewise(AND_NOT, M4)
                    .lanewise(OR, a5.rearrange(UP4).lanewise(AND, M4));
            IntVector b5 = a1.rearrange(DOWN4).lanewise(AND_NOT, M4)
                    .lanewise(OR, a5.lanewise(AND, M4));
            IntVector b2 = a2.lanewise(AND_NOT, M4)
                    .lanewise(OR, a6.rearrange(UP4).lanewise(AND, M4));
            IntVector b6 = a2.rearrange(DOWN4).lanewise(AND_NOT, M4)
                    .lanewise(OR, a6.lanewise(AND, M4));
            IntVector b3 = a3.lanewise(AND_NOT, M4)
                    .lanewise(OR, a7.rearrange(UP4).lanewise(AND, M4));
            IntVector b7 = a3.rearrange(DOWN4).lanewise(AND_NOT, M4)
                    .lanewise(OR, a7.lanewise(AND, M4));
            // Distance 2.
            IntVector d0 = b0.lanewise(AND_NOT, M2)
                    .lanewise(OR, b2.rearrange(UP2).lanewise(AND, M2));
            IntVector d2 = b0.rearrange(DOWN2).lanewise(AND_NOT, M2)
                    .lanewise(OR, b2.lanewise(AND, M2));
            IntVector d1 = b1.lanewise(AND_NOT, M2)
                    .lanewise(OR, b3.rearrange(UP2).lanewise(AND, M2));
            IntVector d3 = b1.rearrange(DOWN2).lanewise(AND_NOT, M2)
                    .lanewise(OR, b3.lanewise(AND, M2));
            IntVector d4 = b4.lanewise(AND_NOT, M2)
                    .lanewise(OR, b6.rearrange(UP2).lanewise(AND, M2));
            IntVector d6 = b4.rearrange(DOWN2).lanewise(AND_NOT, M2)
                    .lanewise(OR, b6.lanewise(AND, M2));
            IntVector d5 = b5.lanewise(AND_NOT, M2)
                    .lanewise(OR, b7.rearrange(UP2).lanewise(AND, M2));
            IntVector d7 = b5.rearrange(DOWN2).lanewise(AND_NOT, M2)
                    .lanewise(OR, b7.lanewise(AND, M2));
            // Distance 1 by 64-bit shifts; column p+t of all sixteen rows, t in order, into the chains.
            FloatVector t0 = d0.lanewise(AND, EVEN)
                    .lanewise(OR, d1.reinterpretAsLongs().lanewise(LSHL, 32).reinterpretAsInts()).reinterpretAsFloats();
            FloatVector t1 = d0.reinterpretAsLongs().lanewise(LSHR, 32).reinterpretAsInts()
                    .lanewise(OR, d1.lanewise(AND, ODD)).reinterpretAsFloats();
            FloatVector t2 = d2.lanewise(AND, EVEN)
                    .lanewise(OR, d3.reinterpretAsLongs().lanewise(LSHL, 32).reinterpretAsInts()).reinterpretAsFloats();
            FloatVector t3 = d2.reinterpretAsLongs().lanewise(LSHR, 32).reinterpretAsInts()
                    .lanewise(OR, d3.lanewise(AND, ODD)).reinterpretAsFloats();
            FloatVector t4 = d4.lanewise(AND, EVEN)
                    .lanewise(OR, d5.reinterpretAsLongs().lanewise(LSHL, 32).reinterpretAsInts()).reinterpretAsFloats();
            FloatVector t5 = d4.reinterpretAsLongs().lanewise(LSHR, 32).reinterpretAsInts()
                    .lanewise(OR, d5.lanewise(AND, ODD)).reinterpretAsFloats();
            FloatVector t6 = d6.lanewise(AND, EVEN)
                    .lanewise(OR, d7.reinterpretAsLongs().lanewise(LSHL, 32).reinterpretAsInts()).reinterpretAsFloats();
            FloatVector t7 = d6.reinterpretAsLongs().lanewise(LSHR, 32).reinterpretAsInts()
                    .lanewise(OR, d7.lanewise(AND, ODD)).reinterpretAsFloats();
            acc = t0.fma(LongVector.broadcast(L, xPairs[p]).reinterpretAsFloats(), acc);
            acc = t1.fma(LongVector.broadcast(L, xPairs[p + 1]).reinterpretAsFloats(), acc);
            acc = t2.fma(LongVector.broadcast(L, xPairs[p + 2]).reinterpretAsFloats(), acc);
            acc = t3.fma(LongVector.broadcast(L, xPairs[p + 3]).reinterpretAsFloats(), acc);
            acc = t4.fma(LongVector.broadcast(L, xPairs[p + 4]).reinterpretAsFloats(), acc);
            acc = t5.fma(LongVector.broadcast(L, xPairs[p + 5]).reinterpretAsFloats(), acc);
            acc = t6.fma(LongVector.broadcast(L, xPairs[p + 6]).reinterpretAsFloats(), acc);
            acc = t7.fma(LongVector.broadcast(L, xPairs[p + 7]).reinterpretAsFloats(), acc);
        }
        acc.intoArray(lanes, 0);
    }
}
