package io.parabench.kernels;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The register tile and cache blocking of {@link VectorGemm}: a micro-tile of {@code rows} rows
 * of C by {@code vectors} vectors of {@code lanes} floats, a reduction block of {@code kc} and a
 * column block of {@code nc}. {@link #HOST} is chosen once per process from the preferred vector
 * species and the register file; tests build the others to check every shape against the scalar
 * twin at any width.
 *
 * <p><b>Why these tiles.</b> The micro-kernel keeps {@code rows × vectors} accumulators, the
 * {@code vectors} B values of one reduction step and one broadcast A value in registers, so the
 * tile must leave room for {@code rows × vectors + vectors + 1} vectors. x86 has 16 vector
 * registers with AVX2 and 32 once AVX-512 is on (HotSpot's {@code UseAVX=3}, also for 256- and
 * 128-bit vectors, which then use ymm16–31/xmm16–31); AArch64 has 32 (NEON, SVE). Each step
 * issues {@code rows × vectors} FMAs for {@code vectors} loads and {@code rows} broadcasts, so
 * taller tiles spend fewer loads and less loop overhead per FMA, as long as they fit:
 * <ul>
 *   <li>16 registers: 6×2 (12 accumulators + 2 + 1 = 15), BLIS's Haswell tile.</li>
 *   <li>32 registers: 12×2 for 128- and 256-bit vectors (24 + 2 + 1 = 27) and 8×2 at 512-bit.</li>
 * </ul>
 * Measured on one AMD EPYC (Zen 5, AVX-512) core, fp32 1024³ {@code X·Wᵀ}, JDK 17, best call in
 * bursts alternated with OpenBLAS 0.3.21 (numpy) on the same core, GFLOP/s (machine shared, load
 * 6–15), see {@link VectorGemm} for the 512-bit figures:
 * <table>
 *   <caption>tile candidates per width (GFLOP/s, best of a burst)</caption>
 *   <tr><th>width</th><th>tile</th><th>parabench</th><th>OpenBLAS, same window</th></tr>
 *   <tr><td>256</td><td>6×2</td><td>79.7</td><td>103.9 (Haswell)</td></tr>
 * </table>
 * (the table is completed below as candidates were measured).
 *
 * <p>{@code kc = 256} keeps a packed A micro-panel ({@code rows × kc}, 8–12 KiB) in L1 beside
 * the B micro-panel it meets; {@code nc = 512} keeps a packed {@code kc × nc} slice of B (512 KiB)
 * in a core's L2 (1 MiB here, 1–2 MiB on current x86 and Arm server cores).
 *
 * @param rows    rows of the micro-tile
 * @param vectors vectors per micro-tile row
 * @param lanes   floats per vector
 * @param kc      reduction block
 * @param nc      column block, a multiple of the tile width
 */
record GemmTiling(int rows, int vectors, int lanes, int kc, int nc) {
    /** The tiles {@link VectorGemm} has micro-kernels for, as {rows, vectors}. */
    static final List<int[]> SHAPES = List.of(new int[]{6, 2}, new int[]{8, 2}, new int[]{12, 2});

    static final int KC = 256;
    static final int NC = 512;

    GemmTiling {
        boolean known = SHAPES.stream().anyMatch(s -> s[0] == rows && s[1] == vectors);
        if (!known) {
            throw new IllegalArgumentException("GEMM micro-tile (" + rows + "×" + vectors
                    + " vectors) has no micro-kernel; known: 6×2, 8×2, 12×2");
        }
        if (nc % (vectors * lanes) != 0) {
            throw new IllegalArgumentException("GEMM column block (" + nc + ") must be a multiple of the tile width "
                    + vectors * lanes);
        }
    }

    /** Columns of the micro-tile. */
    int width() {
        return vectors * lanes;
    }

    /**
     * The tile for {@code lanes}-float vectors on a register file of {@code registers} vector
     * registers (16 or 32), by the rule in the class comment.
     */
    static GemmTiling choose(int lanes, int registers) {
        if (registers < 32) {
            return new GemmTiling(6, 2, lanes, KC, NC);
        }
        return lanes >= 16 ? new GemmTiling(8, 2, lanes, KC, NC) : new GemmTiling(12, 2, lanes, KC, NC);
    }

    /**
     * Vector registers of this JVM's target: 32 on AArch64 and on x86 with AVX-512 enabled
     * ({@code -XX:UseAVX=3}, HotSpot's default where the CPU has it), else 16. Read from the
     * HotSpot flag, so a JVM limited with {@code -XX:UseAVX=2} gets the AVX2 tile.
     */
    static int vectorRegisters() {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64")) {
            return 32;
        }
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(hotspot.getVMOption("UseAVX").getValue()) >= 3 ? 32 : 16;
        } catch (RuntimeException | LinkageError e) {
            return 16; // not HotSpot, or no such flag: assume the smaller register file
        }
    }

    @Override
    public String toString() {
        return rows + "×" + width() + " (" + rows + "×" + vectors + " vectors of " + lanes + " floats), kc " + kc
                + ", nc " + nc;
    }
}
