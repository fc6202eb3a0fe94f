package io.parabench.kernels;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The register tile and cache blocking of {@link VectorGemm}: a micro-tile of {@code rows} rows
 * of C by {@code vectors} vectors of {@code lanes} floats, a reduction block of {@code kc} and a
 * column block of {@code nc}. {@link #HOST} is chosen once per process from the preferred vector
 * species and the register file (and logged once, by {@link VectorKernels}); tests build the
 * other tiles to check every one against the scalar twin at every width the JVM can be limited to.
 *
 * <p><b>Why these tiles.</b> The micro-kernel keeps {@code rows × vectors} accumulators, the
 * {@code vectors} B values of one reduction step and one broadcast A value in registers, so the
 * tile must leave room for {@code rows × vectors + vectors + 1} vectors (more where C2 loads a
 * step's broadcasts together, below, unless a fence keeps them apart). x86 has 16 vector
 * registers with AVX2 and 32 once AVX-512 is on (HotSpot's {@code UseAVX=3}, also for 256- and
 * 128-bit vectors, which then use ymm16–31/xmm16–31); AArch64 has 32 (NEON, SVE). Each step
 * issues {@code rows × vectors} FMAs for {@code vectors} loads and {@code rows} broadcasts, so
 * wider tiles spend fewer broadcasts per FMA, as long as C2 keeps them in registers:
 * <ul>
 *   <li>16 registers: 6×2, BLIS's Haswell tile (12 accumulators + 2 + 1 = 15), with a load fence
 *       before each row's broadcast ({@link VectorGemm}'s {@code microKernel6x2} says why and what
 *       it costs). Left to itself C2 loads a step's broadcasts together at the top of the step;
 *       with four to six of them live it kept three accumulators on the stack (a load, the FMA
 *       and a store each, every step), which is how 6×2 ran 0.44 of OpenBLAS's Haswell kernel on
 *       an AMD EPYC (Zen 4, family 25 model 17, KVM, 2 vCPUs, AVX-512 limited with
 *       {@code -XX:UseAVX=2}; {@code OpenBlasDuel}, 2 December 2026). 4×2 (8 + 2 + 4 = 14), which
 *       fits with every broadcast live, served from then until the fences: 2.05× the unfenced 6×2
 *       there, but its eight accumulators are exactly the FMA latency times the FMA ports, so
 *       nothing hides a late operand: 0.82–0.86 of OpenBLAS on the Zen 4, 0.88–0.89 on an AMD
 *       EPYC Zen 5 (family 26 model 2, 3 December 2026, three runs). On that Zen 5 the fenced
 *       6×2, whose compiled loop is the 12 FMAs, 2 B loads, 6 broadcasts into one register and
 *       the counter, ran 1.07–1.10× the 4×2 kernel alone (panels in L1/L2, one JVM, alternated;
 *       the unfenced one 0.49×, two fences per step 0.52×, B's second vector reloaded per row
 *       0.93×: 13 loads per 12 FMAs), the whole 1024³ GEMM 1.07× on JDK 25 and 1.10× on JDK 17
 *       (old and new classes in one JVM, alternated, identical bits), 1.06× with 128-bit vectors
 *       on 16 registers, and 0.93 and 0.96 of OpenBLAS's Haswell kernel ({@code OpenBlasDuel}).
 *       Tiles tried on the Zen 4 before the fences, all no better than 4×2: 5×2 (spills), 3×3
 *       (0.94×: a step of 24 floats is a multiply, so two range checks stay in the loop), 2×4
 *       (0.55×: C2 unrolls it and spills), 1×12 with B as the FMAs' memory operand
 *       (0.57–0.62×), 4×2 two steps a turn (0.94×), A packed a vector apart per step (0.92–0.98×),
 *       kc 128 or 512 and nc 256 or 1024 (0.96–0.99×). (The constant A stride of
 *       {@link VectorGemm}'s addressing note, which makes every broadcast a fixed displacement
 *       from one register, is likely what freed C2 to hoist them all: 6×2 had run 0.81 of
 *       OpenBLAS before it, in the table below.)</li>
 *   <li>32 registers, every width: 6×4 (24 + 4 + 1 = 29): 34 instructions per 24 FMAs, the fewest of
 *       the tiles that fit (8×2 takes 26 per 16).</li>
 * </ul>
 * Measured on one AMD EPYC core (Zen 5, AVX-512; JDK 17), fp32 1024³ {@code X·Wᵀ} on one thread,
 * best call by thread CPU time in 1 s bursts alternated with OpenBLAS 0.3.21 (Debian numpy, same
 * core, {@code OPENBLAS_CORETYPE} of the width) — the machine was shared (load 18–35), so ratios,
 * not GFLOP/s, are the figure; each ratio is the median of 4–6 burst pairs:
 * <table>
 *   <caption>parabench ÷ OpenBLAS, one thread, by tile and width</caption>
 *   <tr><th>JVM limit</th><th>OpenBLAS core</th><th>6×2</th><th>8×2</th><th>6×4</th><th>others</th></tr>
 *   <tr><td>512-bit (native)</td><td>SkylakeX</td><td>—</td><td>0.78–0.89</td><td>0.74</td>
 *       <td>12×2 0.76, 4×4 0.73, 8×3 0.73</td></tr>
 *   <tr><td>256-bit, 32 registers</td><td>Haswell</td><td>0.82</td><td>0.84–0.88</td><td>0.89–0.96</td>
 *       <td>12×2 0.84–0.86, 8×3 0.83, 4×4 0.69</td></tr>
 *   <tr><td>256-bit, {@code -XX:UseAVX=2} (16 registers)</td><td>Haswell</td><td>0.81</td><td>0.51</td>
 *       <td>—</td><td>4×4 0.36</td></tr>
 *   <tr><td>128-bit</td><td>Nehalem</td><td>1.34</td><td>1.29</td><td>1.32</td><td>12×2 1.30</td></tr>
 * </table>
 * OpenBLAS's Nehalem kernel is SSE without FMA, hence the ratio above 1 at 128 bits.
 *
 * <p>Those ratios predate packing A as rows and keeping the packed panels per thread
 * ({@link VectorGemm}), which took 5–8% off every call. Measured after that (2 December 2026,
 * load 7–10): best call against OpenBLAS in alternated bursts, 512-bit 8×2 0.96, 256-bit 6×4 0.97,
 * 128-bit 6×4 1.45; and the tiles against each other in one JVM, calls alternated, harmonic mean
 * per call: at 512 bits 8×2 172, 6×4 173, 6×2 167 GFLOP/s; at 256 bits 6×4 89.0, 8×2 87.5, 6×2
 * 86.1. 6×4 and 8×2 tied at 512 bits, and 8×2 served there.
 *
 * <p><b>Why 6×4 at 512 bits too</b> (2 December 2026, 17:30–17:35 UTC, JDK 17 and 25). The host
 * has windows, minutes long, in which every GEMM on it runs slower; in them the tiles part. The
 * three tiles in one JVM, batches of calls alternated, 1024³ on one thread: in a slow window
 * (8×2 at 105–117 GFLOP/s) 6×4 ran 1.15–1.21× as fast as 8×2 in every one of 12 rounds (1.21×
 * over all), 6×2 0.91×; in the fast window a minute later (8×2 at 161–170) 6×4 ran 0.98–1.00× of
 * it. Beside OpenBLAS in the same process ({@code jmh/src/test/scripts/OpenBlasDuel.java}'s way, JDK 25),
 * slow window: parabench ÷ OpenBLAS 0.82 with 8×2, 0.89 with 6×4, per round 0.88–0.93 against
 * 0.77–0.86; fast window: 0.93–0.97 with 6×4, 0.95 with 8×2. OpenBLAS slows less in those
 * windows, and so does the tile that issues fewer instructions per FMA: likely, not verified (no
 * performance counters in this VM), another guest shares the core and the front end is what it
 * takes. 8×2 was removed with the choice.
 *
 * <p>{@code kc = 256} keeps a packed A micro-panel ({@code rows × kc}, 6–8 KiB) in L1 beside
 * the B micro-panel it meets; {@code nc = 512} keeps a packed {@code kc × nc} slice of B (512 KiB)
 * in a core's L2 (1 MiB on Zen 5). kc 384 or 512 and nc 256 measured no better there at 512-bit
 * (0.73–0.86 in the same windows); kc 128, which would keep the whole 64-column B micro-panel
 * (32 KiB) in Zen 5's 48 KiB L1, ran 0.976× of kc 256 (one JVM, calls alternated, 12 rounds,
 * 3 December 2026, identical bits).
 *
 * <p><b>kc = 512 where a core has 2 MiB of L2 or more</b> ({@link HostCaches#l2Bytes}, read once from
 * sysfs): the B slice doubles to 1 MiB, half the L2, and each C tile is loaded and stored half
 * as often. Measured on an Intel Xeon of the Sapphire Rapids class (KVM, 2 vCPUs, 2 MiB L2 per
 * core, AVX-512; 2 December 2026, 21:12–21:14 UTC): fp32 1024³ on one thread, five processes on
 * JDK 25 each alternating OpenBLAS 0.3.21 (SkylakeX) with both blockings ten rounds, parabench ÷
 * OpenBLAS 0.85, 0.82, 0.83, 0.89, 0.82 with kc 256 against 0.95, 0.87, 0.85, 0.89, 0.87 with
 * kc 512 (nc 512; nc 1024, nc 768, kc 768 and kc 1024 no better); on JDK 17, one process, mean
 * call 93–98 against 99–103 GFLOP/s. The register-only FMA loop ran 128–136 GFLOP/s there and
 * the 6×4 micro-kernel alone, panels in L2, 92–112: the tile, not the blocking, is where that
 * core loses most against OpenBLAS. (Two steps per loop iteration ran 7–10% faster alone but
 * 12–15% slower inside the GEMM.) The loss was the loop's integer work, not the tile: with A
 * packed at a constant stride ({@link VectorGemm}'s addressing note) the same kernel alone runs
 * 115–127 GFLOP/s (23:30 UTC), alike with B's panel in L1 or L2 (kc 64 to 512), and 1.84–2.01×
 * that on two threads in the host's calm rounds; kc 256 and 384 then ran 0.98× and 0.99× of 512
 * in the whole GEMM, and a 12×2 tile 0.94× of 6×4.
 *
 * @param rows    rows of the micro-tile
 * @param vectors vectors per micro-tile row
 * @param lanes   floats per vector
 * @param kc      reduction block
 * @param nc      column block, a multiple of the tile width
 */
record GemmTiling(int rows, int vectors, int lanes, int kc, int nc) {
    /** The tiles {@link VectorGemm} has micro-kernels for, as {rows, vectors}. */
    static final List<int[]> SHAPES = List.of(new int[]{6, 2}, new int[]{6, 4});

    static final int KC = 256;
    /** The reduction block where a core's L2 holds at least {@link #LARGE_L2} bytes. */
    static final int KC_LARGE_L2 = 512;
    static final int NC = 512;
    /** The largest reduction block: {@link VectorGemm} packs A at this row stride. */
    static final int KC_MAX = KC_LARGE_L2;
    /** L2 bytes per core from which {@link #KC_LARGE_L2} is used. */
    static final long LARGE_L2 = 2L << 20;

    GemmTiling {
        boolean known = SHAPES.stream().anyMatch(s -> s[0] == rows && s[1] == vectors);
        if (!known) {
            throw new IllegalArgumentException("GEMM micro-tile (" + rows + "×" + vectors
                    + " vectors) has no micro-kernel; known: 6×2, 6×4");
        }
        if (kc < 1 || kc > KC_MAX) {
            throw new IllegalArgumentException("GEMM reduction block (" + kc + ") must be in 1.." + KC_MAX);
        }
        if (nc % (vectors * lanes) != 0) {
            throw new IllegalArgumentException("GEMM column block (" + nc + ") must be a multiple of the tile width "
                    + vectors * lanes);
        }
    }

    /**
     * The blocking for {@code layout}: this tiling, except that the weight gradient on a
     * large-L2 blocking ({@code kc} {@link #KC_LARGE_L2}) takes {@code kc} {@link #KC} and twice
     * the column block. The B block stays the same size, and the weight gradient's A = dYᵀ,
     * which {@link VectorGemm} transposes once per column block, is transposed half as often:
     * in one JVM on the Intel Xeon above (2 December 2026, 00:10 UTC, 1024³, one thread, 10
     * alternated rounds, twice) 1.08× for the weight gradient; the forward and input-gradient
     * products, which copy rows instead, ran 0.99× and 1.00× with it, so they keep kc 512.
     */
    GemmTiling blockingFor(GemmLayout layout) {
        if (layout != GemmLayout.BACKWARD_WEIGHT || kc != KC_LARGE_L2) {
            return this;
        }
        return new GemmTiling(rows, vectors, lanes, KC, 2 * nc);
    }

    /** Columns of the micro-tile. */
    int width() {
        return vectors * lanes;
    }

    /**
     * The tile for {@code lanes}-float vectors on a register file of {@code registers} vector
     * registers (16 or 32) and a core with {@code l2Bytes} of L2, by the rules in the class comment.
     */
    static GemmTiling choose(int lanes, int registers, long l2Bytes) {
        int kc = l2Bytes >= LARGE_L2 ? KC_LARGE_L2 : KC;
        if (registers < 32) {
            return new GemmTiling(6, 2, lanes, kc, NC);
        }
        return new GemmTiling(6, 4, lanes, kc, NC);
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
