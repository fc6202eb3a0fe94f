package io.parabench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 16×16 block of floats transposed in 512-bit registers: sixteen rows loaded as vectors,
 * sixteen columns stored as vectors. {@link VectorGemm} packs the forward layout's B = Wᵀ with
 * it, where the scalar copy spent two loads' and stores' worth of range checks and index
 * arithmetic per float: that packing was about 7% of a 1024³ product's JFR samples at 512 bits
 * (skipping it altogether ran 1.055× in one JVM, wrong results and all). With this block the
 * product ran 1.03× the scalar copy: 1.028× and, order swapped, 1/0.968 (one JVM, calls
 * alternated, identical results, geomeans of 28 rounds each; 1.01× in two runs of 8 rounds; AMD
 * EPYC Zen 5, JDK 17, 3 December 2026).
 *
 * <p>Four rounds, d = 1, 2, 4, 8, each exchanging d×d sub-blocks between the rows i and i + d
 * (i without bit d): row i keeps its lanes without bit d and takes row i + d's lanes moved up by
 * d; row i + d keeps its lanes with bit d and takes row i's moved down. After the rounds row l
 * holds lane l of every input row: the transpose. One {@code vpermd} and one {@code vpternlogd}
 * per row and round, and about 40 spills and reloads a block, as sixteen rows, four lane masks
 * and the shuffles nearly fill the 32 registers (read with {@code -XX:CompileCommand=print},
 * JDK 17): the rows are handled as
 * ints and the lanes chosen by {@code bitwiseBlend}, because a float {@code blend} with a mask
 * costs JDK 17's C2 a compare per use to rebuild the mask (1.016× the scalar copy in the same
 * session, against 1.036× for this form in that run).
 * A copy, so the bits are the input's whatever the width; only 512-bit vectors take it: the
 * same three rounds on an 8×8 block at 256 bits ran 0.976× the scalar copy with
 * {@code -XX:UseAVX=2} and 0.997× with {@code -XX:MaxVectorSize=32} (one JVM, 8 rounds).
 */
final class BlockTranspose {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Rows and columns of the block: the lanes of a 512-bit vector. */
    static final int SIZE = 16;
    /** Whether this JVM's vectors are 16 floats wide, the only width the block is written for. */
    static final boolean AVAILABLE = S.length() == SIZE;
    private static final VectorShuffle<Integer> UP_1 = VectorShuffle.iota(I, -1, 1, true);
    private static final VectorShuffle<Integer> DOWN_1 = VectorShuffle.iota(I, 1, 1, true);
    private static final VectorShuffle<Integer> UP_2 = VectorShuffle.iota(I, -2, 1, true);
    private static final VectorShuffle<Integer> DOWN_2 = VectorShuffle.iota(I, 2, 1, true);
    private static final VectorShuffle<Integer> UP_4 = VectorShuffle.iota(I, -4, 1, true);
    private static final VectorShuffle<Integer> DOWN_4 = VectorShuffle.iota(I, 4, 1, true);
    private static final VectorShuffle<Integer> UP_8 = VectorShuffle.iota(I, -8, 1, true);
    private static final VectorShuffle<Integer> DOWN_8 = VectorShuffle.iota(I, 8, 1, true);
    /** Per round d = 1, 2, 4, 8: −1 in the lanes with bit d, 0 elsewhere. */
    private static final int[] LANES_WITH_BIT = lanesWithBit();

    private BlockTranspose() {
    }

    private static int[] lanesWithBit() {
        int[] bits = new int[4 * SIZE];
        for (int round = 0; round < 4; round++) {
            for (int lane = 0; lane < SIZE; lane++) {
                bits[round * SIZE + lane] = (lane & 1 << round) != 0 ? -1 : 0;
            }
        }
        return bits;
    }

    /**
     * {@code dst[to + c·dstStride + r] = src[from + r·srcStride + c]} for r, c in [0, 16);
     * only where {@link #AVAILABLE}.
     */
    static void transpose(float[] src, int from, int srcStride, float[] dst, int to, int dstStride) {
        IntVector with1 = IntVector.fromArray(I, LANES_WITH_BIT, 0 * SIZE);
        IntVector with2 = IntVector.fromArray(I, LANES_WITH_BIT, 1 * SIZE);
        IntVector with4 = IntVector.fromArray(I, LANES_WITH_BIT, 2 * SIZE);
        IntVector with8 = IntVector.fromArray(I, LANES_WITH_BIT, 3 * SIZE);
        IntVector r0 = FloatVector.fromArray(S, src, from + 0 * srcStride).reinterpretAsInts();
        IntVector r1 = FloatVector.fromArray(S, src, from + 1 * srcStride).reinterpretAsInts();
        IntVector r2 = FloatVector.fromArray(S, src, from + 2 * srcStride).reinterpretAsInts();
        IntVector r3 = FloatVector.fromArray(S, src, from + 3 * srcStride).reinterpretAsInts();
        IntVector r4 = FloatVector.fromArray(S, src, from + 4 * srcStride).reinterpretAsInts();
        IntVector r5 = FloatVector.fromArray(S, src, from + 5 * srcStride).reinterpretAsInts();
        IntVector r6 = FloatVector.fromArray(S, src, from + 6 * srcStride).reinterpretAsInts();
        IntVector r7 = FloatVector.fromArray(S, src, from + 7 * srcStride).reinterpretAsInts();
        IntVector r8 = FloatVector.fromArray(S, src, from + 8 * srcStride).reinterpretAsInts();
        IntVector r9 = FloatVector.fromArray(S, src, from + 9 * srcStride).reinterpretAsInts();
        IntVector r10 = FloatVector.fromArray(S, src, from + 10 * srcStride).reinterpretAsInts();
        IntVector r11 = FloatVector.fromArray(S, src, from + 11 * srcStride).reinterpretAsInts();
        IntVector r12 = FloatVector.fromArray(S, src, from + 12 * srcStride).reinterpretAsInts();
        IntVector r13 = FloatVector.fromArray(S, src, from + 13 * srcStride).reinterpretAsInts();
        IntVector r14 = FloatVector.fromArray(S, src, from + 14 * srcStride).reinterpretAsInts();
        IntVector r15 = FloatVector.fromArray(S, src, from + 15 * srcStride).reinterpretAsInts();
        // round 1
        IntVector a0 = r0.bitwiseBlend(r1.rearrange(UP_1), with1);
        IntVector a1 = r0.rearrange(DOWN_1).bitwiseBlend(r1, with1);
        IntVector a2 = r2.bitwiseBlend(r3.rearrange(UP_1), with1);
        IntVector a3 = r2.rearrange(DOWN_1).bitwiseBlend(r3, with1);
        IntVector a4 = r4.bitwiseBlend(r5.rearrange(UP_1), with1);
        IntVector a5 = r4.rearrange(DOWN_1).bitwiseBlend(r5, with1);
        IntVector a6 = r6.bitwiseBlend(r7.rearrange(UP_1), with1);
        IntVector a7 = r6.rearrange(DOWN_1).bitwiseBlend(r7, with1);
        IntVector a8 = r8.bitwiseBlend(r9.rearrange(UP_1), with1);
        IntVector a9 = r8.rearrange(DOWN_1).bitwiseBlend(r9, with1);
        IntVector a10 = r10.bitwiseBlend(r11.rearrange(UP_1), with1);
        IntVector a11 = r10.rearrange(DOWN_1).bitwiseBlend(r11, with1);
        IntVector a12 = r12.bitwiseBlend(r13.rearrange(UP_1), with1);
        IntVector a13 = r12.rearrange(DOWN_1).bitwiseBlend(r13, with1);
        IntVector a14 = r14.bitwiseBlend(r15.rearrange(UP_1), with1);
        IntVector a15 = r14.rearrange(DOWN_1).bitwiseBlend(r15, with1);
        // round 2
        IntVector b0 = a0.bitwiseBlend(a2.rearrange(UP_2), with2);
        IntVector b2 = a0.rearrange(DOWN_2).bitwiseBlend(a2, with2);
        IntVector b1 = a1.bitwiseBlend(a3.rearrange(UP_2), with2);
        IntVector b3 = a1.rearrange(DOWN_2).bitwiseBlend(a3, with2);
        IntVector b4 = a4.bitwiseBlend(a6.rearrange(UP_2), with2);
        IntVector b6 = a4.rearrange(DOWN_2).bitwiseBlend(a6, with2);
        IntVector b5 = a5.bitwiseBlend(a7.rearrange(UP_2), with2);
        IntVector b7 = a5.rearrange(DOWN_2).bitwiseBlend(a7, with2);
        IntVector b8 = a8.bitwiseBlend(a10.rearrange(UP_2), with2);
        IntVector b10 = a8.rearrange(DOWN_2).bitwiseBlend(a10, with2);
        IntVector b9 = a9.bitwiseBlend(a11.rearrange(UP_2), with2);
        IntVector b11 = a9.rearrange(DOWN_2).bitwiseBlend(a11, with2);
        IntVector b12 = a12.bitwiseBlend(a14.rearrange(UP_2), with2);
        IntVector b14 = a12.rearrange(DOWN_2).bitwiseBlend(a14, with2);
        IntVector b13 = a13.bitwiseBlend(a15.rearrange(UP_2), with2);
        IntVector b15 = a13.rearrange(DOWN_2).bitwiseBlend(a15, with2);
        // round 4
        IntVector c0 = b0.bitwiseBlend(b4.rearrange(UP_4), with4);
        IntVector c4 = b0.rearrange(DOWN_4).bitwiseBlend(b4, with4);
        IntVector c1 = b1.bitwiseBlend(b5.rearrange(UP_4), with4);
        IntVector c5 = b1.rearrange(DOWN_4).bitwiseBlend(b5, with4);
        IntVector c2 = b2.bitwiseBlend(b6.rearrange(UP_4), with4);
        IntVector c6 = b2.rearrange(DOWN_4).bitwiseBlend(b6, with4);
        IntVector c3 = b3.bitwiseBlend(b7.rearrange(UP_4), with4);
        IntVector c7 = b3.rearrange(DOWN_4).bitwiseBlend(b7, with4);
        IntVector c8 = b8.bitwiseBlend(b12.rearrange(UP_4), with4);
        IntVector c12 = b8.rearrange(DOWN_4).bitwiseBlend(b12, with4);
        IntVector c9 = b9.bitwiseBlend(b13.rearrange(UP_4), with4);
        IntVector c13 = b9.rearrange(DOWN_4).bitwiseBlend(b13, with4);
        IntVector c10 = b10.bitwiseBlend(b14.rearrange(UP_4), with4);
        IntVector c14 = b10.rearrange(DOWN_4).bitwiseBlend(b14, with4);
        IntVector c11 = b11.bitwiseBlend(b15.rearrange(UP_4), with4);
        IntVector c15 = b11.rearrange(DOWN_4).bitwiseBlend(b15, with4);
        // round 8
        IntVector t0 = c0.bitwiseBlend(c8.rearrange(UP_8), with8);
        IntVector t8 = c0.rearrange(DOWN_8).bitwiseBlend(c8, with8);
        IntVector t1 = c1.bitwiseBlend(c9.rearrange(UP_8), with8);
        IntVector t9 = c1.rearrange(DOWN_8).bitwiseBlend(c9, with8);
        IntVector t2 = c2.bitwiseBlend(c10.rearrange(UP_8), with8);
        IntVector t10 = c2.rearrange(DOWN_8).bitwiseBlend(c10, with8);
        IntVector t3 = c3.bitwiseBlend(c11.rearrange(UP_8), with8);
        IntVector t11 = c3.rearrange(DOWN_8).bitwiseBlend(c11, with8);
        IntVector t4 = c4.bitwiseBlend(c12.rearrange(UP_8), with8);
        IntVector t12 = c4.rearrange(DOWN_8).bitwiseBlend(c12, with8);
        IntVector t5 = c5.bitwiseBlend(c13.rearrange(UP_8), with8);
        IntVector t13 = c5.rearrange(DOWN_8).bitwiseBlend(c13, with8);
        IntVector t6 = c6.bitwiseBlend(c14.rearrange(UP_8), with8);
        IntVector t14 = c6.rearrange(DOWN_8).bitwiseBlend(c14, with8);
        IntVector t7 = c7.bitwiseBlend(c15.rearrange(UP_8), with8);
        IntVector t15 = c7.rearrange(DOWN_8).bitwiseBlend(c15, with8);
        t0.reinterpretAsFloats().intoArray(dst, to + 0 * dstStride);
        t1.reinterpretAsFloats().intoArray(dst, to + 1 * dstStride);
        t2.reinterpretAsFloats().intoArray(dst, to + 2 * dstStride);
        t3.reinterpretAsFloats().intoArray(dst, to + 3 * dstStride);
        t4.reinterpretAsFloats().intoArray(dst, to + 4 * dstStride);
        t5.reinterpretAsFloats().intoArray(dst, to + 5 * dstStride);
        t6.reinterpretAsFloats().intoArray(dst, to + 6 * dstStride);
        t7.reinterpretAsFloats().intoArray(dst, to + 7 * dstStride);
        t8.reinterpretAsFloats().intoArray(dst, to + 8 * dstStride);
        t9.reinterpretAsFloats().intoArray(dst, to + 9 * dstStride);
        t10.reinterpretAsFloats().intoArray(dst, to + 10 * dstStride);
        t11.reinterpretAsFloats().intoArray(dst, to + 11 * dstStride);
        t12.reinterpretAsFloats().intoArray(dst, to + 12 * dstStride);
        t13.reinterpretAsFloats().intoArray(dst, to + 13 * dstStride);
        t14.reinterpretAsFloats().intoArray(dst, to + 14 * dstStride);
        t15.reinterpretAsFloats().intoArray(dst, to + 15 * dstStride);
    }
}
