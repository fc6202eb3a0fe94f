package io.parabench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Cache- and register-blocked single-precision GEMM on the Vector API, after the BLIS/GotoBLAS
 * design (Goto &amp; van de Geijn, "Anatomy of High-Performance Matrix Multiplication", 2008),
 * with the roles of A and B swapped because C is row-major here: B is the vector operand and A
 * is broadcast. Skinny products (few rows, or few columns in the forward layout) go to
 * {@link SkinnyGemm} instead, which reads each operand once without padding to a full tile.
 *
 * <p>Loops, outermost first, inside one task: columns of C in blocks of {@link GemmTiling#nc};
 * the reduction in blocks of {@link GemmTiling#kc}, for which a {@code kc×nc} slice of B is
 * packed into contiguous micro-panels (tile width columns, zero-padded at the edge) that stay in
 * the core's L2; then row panels of C, each packing its {@code rows×kc} slice of A just before
 * sweeping the B micro-panels with it, so that A micro-panel is hot in L1.
 *
 * <p>Where the time goes (1024³ forward, one thread, 512-bit, JDK 17, this machine): the
 * micro-kernel alone (the 8×2 one that served 512 bits before 6×4; the two tie on a quiet core), called on packed panels already in L1/L2, runs at about 200 GFLOP/s, while
 * OpenBLAS's whole GEMM runs at 180–195. What a whole call adds is mostly packing, so packing is
 * kept cheap: A is packed as rows (a row copy in two of the three layouts; the transposing pack
 * it replaced took 1.85 of 14.3 ms per call), B's transposing pack reads eight rows of W side by
 * side (0.7–0.8 ms per call), and the packed panels stay with their thread between calls instead
 * of being allocated per call. Measured and dropped (2 December 2026, same JVM, alternated): B's
 * pack by gather (0.42–0.54 → 1.2–2.1 ms), sixteen rows side by side (0.64–1.2 ms), a 16×16
 * in-register transpose (14 ms: JDK 17 does not intrinsify the two-vector rearrange); no A pack,
 * broadcasting from A's rows 4 KiB apart (no faster); the GotoBLAS order with the B micro-panel
 * in L1 and an A block in L2 (no faster); kc/nc 512/256, 344/512, 512/384 (all within 2%). On an
 * AMD EPYC Zen 5 (3 December 2026, JDK 17, 512-bit, one JVM, old and new classes alternated):
 * B's forward pack as 16×16 transposes in registers (single-input rearranges and blends, which
 * C2 does intrinsify) packed 1.39× as fast (0.30 against 0.41 ms for the 1024² W) but the whole
 * 1024³ GEMM ran only 1.018× (geomean of 16 rounds, identical bits), with 8×8 blocks 1.00× at
 * 256 bits and 1.02× with {@code -XX:UseAVX=2}: the pack is 4.5% of a call, and it waits on its
 * loads from sixteen rows of W 4 KiB apart (loading one float a few lines ahead in each row made
 * it 0.74–0.79×). {@link TransposedGemv}'s transpose (distance 8 by loads, lane exchanges, 64-bit
 * shifts), with stores for its FMAs, packed 1.80× as fast (2.45× with W in L2), and the GEMM ran
 * 0.96× and 1.01× in two runs with the copies' order swapped, where two copies of the same
 * classes differ by 0.5%: whatever the pack gains is within the host's noise. Not kept. The
 * 6×4 micro-kernel written as two steps a turn, to halve the loop's integer work: 0.71× (14
 * rounds, same bits); the compiled code was not read, likely C2 interleaves the two steps past
 * the 32 registers and spills. With a load fence between the two steps (so the second step's B
 * loads wait for the first's): 0.99×, so the loop's integer work is not what bounds it.
 *
 * <p><b>Addressing in the micro-kernel loop</b> (read from C2's code: {@code -XX:CompileCommand=print}
 * with the machine code decoded by objdump). A packed A row used to start {@code kc} floats
 * after the last, so each of the six broadcasts needed its own index register, and x86 has no
 * base + two indices: C2 spent a move and an add per broadcast; and B's offset, written
 * {@code p * 4 * V}, compiled to two shifts, a reload from the stack and two range checks per
 * step: on JDK 17 about 16 integer instructions beside 24 FMAs, on the ports that also issue
 * the FMAs. A rows are now {@link #A_STRIDE} apart, a constant, so every broadcast is one index
 * register plus a fixed displacement, and B's offset is {@code p * (4 * V)}, one constant scale
 * of the loop counter, whose range checks C2 hoists out of the loop: about 6 integer
 * instructions per step on JDK 17 and 25. Measured on the Intel Xeon of {@link GemmTiling}'s kc
 * note (2 December 2026, 22:35–22:52 UTC, JDK 17), 1024³ on one thread, in one JVM, old and new
 * kernels as two copies of this class, calls alternated, median of 11 per round, geomean of
 * 14 rounds: B's offset alone 1.08× (as a second induction variable; two identical copies
 * 1.00×), with the constant stride 1.10× at 512 bits (1.12–1.16× in the host's slow windows,
 * 1.01–1.02× in its fast ones), 1.08× at 256 and 1.15× at 128; the hoisted range checks
 * (against the induction variable, which kept two) 0.99×, kept for the shorter loop.
 *
 * <p>Threads: when C has more row tiles than column tiles (the usual case), its row panels are
 * handed out block by block ({@link RowClaims}): each thread packs every B block it works on
 * into its own buffer (so the block lives in its own core's L2, with no barrier between
 * blocks), takes the panels of its own share from the front and, once they are gone, panels
 * from the back of another's, so a thread the host slows down no longer holds up the call. A
 * panel's blocks still reach C one after another, in order. Otherwise the columns of C are cut
 * into one contiguous range of whole tiles per thread, each packing its own columns of B. Two
 * threads never write the same cache line of C at once: a row panel belongs to one thread per
 * block, and column ranges meet once per reduction block.
 *
 * <p>History of the two-thread figures. On a 2-vCPU VM (2 December 2026, one JVM, median call)
 * two threads with static halves ran a 1024³ call 1.73–1.78× as fast as one, and two
 * independent one-thread half GEMMs on two plain threads 1.84–1.90×. A spin-then-park
 * {@link HostPool} (hand-off 28 → 1 µs) reached 1.80–1.87× in that loop, but in JMH forks of
 * {@code threads=2} it ran its first seconds at 210–225 GFLOP/s against the executor pool's
 * steady 300 (likely, not verified: while C2 still compiles, two threads that never sleep are
 * not re-placed on the free vCPU), so it was not used then. On the Intel Xeon the executor's
 * hand-off took 100–160 µs each way, so {@link HostPool} now spins, for at most a millisecond
 * ({@link HostPool#SPIN_NANOS}); there, in one JVM, a two-thread call ran 1.80–1.92× as fast as
 * a one-thread call in rounds where the host gave both vCPUs, while JMH forks of
 * {@code threads=2} moved between 53 and 145 GFLOP/s from one second to the next: with static
 * halves the slower thread sets the pace. Claimed panels (3 December 2026) gained 1.01–1.04× in
 * the rounds where both threads ran at full speed and 1.1–1.3× in the others (1.085× and 1.13×
 * geomean over two runs of 16–20 rounds, forward; 1.41× for the weight gradient in a noisy
 * run). Starting the two threads' row sweeps at different rows measured no better; sharing one
 * packed B block between the threads (each packing half, with a barrier before and after its
 * use) measured 0.72× in one run: every barrier waits for the slower thread.
 *
 * <p>Run-to-run spread: on this shared VM the same code measures 170–180 GFLOP/s in one fork and
 * 95–120 in the next, or changes mid-fork. It is not the layout: the B panel at each of ten float
 * offsets inside a never-moving array (so one of them is 64-byte aligned) ran alike, 169–181;
 * not the JIT: the same compilations, same sizes, in every fork; and a register-only FMA loop run
 * in between slows in the same windows. Hence no alignment probing here; compare figures only
 * within one window.
 *
 * <p>Determinism: each element of C belongs to exactly one micro-tile, and its sum is built by
 * one FMA per {@code p} in increasing {@code p}, block after block. That order depends neither
 * on the thread count nor on the tile, and it is the order of {@link ScalarKernels#gemm}, which
 * uses {@link Math#fma}: both twins give identical bits.
 *
 * <p>Thread-safe: packed panels belong to the thread that runs a task, and one task at a time.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    /** The tiling of this process, chosen once from the vector species and the register file. */
    static final GemmTiling HOST = GemmTiling.choose(V, GemmTiling.vectorRegisters(), HostCaches.l2Bytes());

    /**
     * Row stride of a packed A panel, whatever the block's kc: a constant, so the micro-kernel
     * reaches row r of A at a fixed displacement {@code r × A_STRIDE} from one index register.
     * With kc as the stride, x86 has no addressing mode for base + two indices, and C2 spent two
     * integer instructions per broadcast computing each row's address (see the class comment).
     */
    static final int A_STRIDE = GemmTiling.KC_MAX;

    /**
     * Each thread's packing buffers ({@link Panels}), kept between calls: allocating the
     * 512 KiB–1 MiB B block per call (zeroed, then a young collection every few calls) cost 8–14%
     * of a 1024³ GEMM on one thread. Bounded by the tiling ({@code kc × nc}, {@code rows × A_STRIDE}
     * and, for the weight gradient, {@code 16 × rows × TRANSPOSED_STRIDE} floats per thread);
     * every use overwrites what it reads, so no state leaks between calls.
     */
    private static final ThreadLocal<Panels> PANELS = ThreadLocal.withInitial(Panels::new);

    /**
     * One thread's packed A panel {@code ap}, B block {@code bp}, the weight gradient's
     * transposed block {@code at} (rows {@code [transposedFrom, transposedTo)} of A in the
     * current reduction block) and a partial tile {@code edge}.
     */
    private static final class Panels {
        float[] ap = new float[0];
        float[] bp = new float[0];
        float[] at = new float[0];
        float[] edge = new float[0];
        int transposedFrom;
        int transposedTo;

        /** Grows the buffers to tiling {@code t}'s needs, {@code bSize} floats of B; forgets any transposed rows. */
        Panels fit(GemmTiling t, GemmLayout layout, int bSize) {
            if (ap.length < t.rows() * A_STRIDE) {
                ap = new float[t.rows() * A_STRIDE];
            }
            if (bp.length < bSize) {
                bp = new float[bSize];
            }
            int transposed = t.rows() * PANELS_PER_TRANSPOSE * TRANSPOSED_STRIDE;
            if (layout == GemmLayout.BACKWARD_WEIGHT && at.length < transposed) {
                at = new float[transposed];
            }
            if (edge.length < t.rows() * t.width()) {
                edge = new float[t.rows() * t.width()];
            }
            return forgetTransposed();
        }

        /** A new reduction block: the transposed rows belong to the last one. */
        Panels forgetTransposed() {
            transposedFrom = 0;
            transposedTo = 0;
            return this;
        }
    }

    /**
     * Row panels of the weight gradient's A = dYᵀ transposed together ({@link #transposeA}): 16,
     * so each pass reads 96 contiguous values (six cache lines) of every row of dY it touches.
     */
    private static final int PANELS_PER_TRANSPOSE = 16;
    /**
     * Row stride of the transposed block: one cache line more than {@link #A_STRIDE}, so its 96
     * rows, written a few values at a time, fall in different L1 sets (2 KiB apart they share two).
     */
    private static final int TRANSPOSED_STRIDE = A_STRIDE + 16;

    /**
     * Column ranges per host thread in the column split, taken one at a time by whichever thread
     * is free, so a thread the host runs slowly takes fewer (as {@link RowClaims} does for the
     * row split and {@link PackedGemm} for the decode product). Each range packs only its own
     * columns of B, so B is packed once as before; A's panels are copied once per range, about
     * 1/(range width) of the range's FMAs.
     */
    static final int COLUMN_RANGES_PER_THREAD = 4;

    private VectorGemm() {
    }

    static void gemm(HostPool pool, GemmLayout layout, int m, int n, int k,
                     float[] a, float[] b, float[] c, boolean accumulate) {
        gemm(pool, layout, m, n, k, a, b, c, accumulate, HOST);
    }

    /** The GEMM with tiling {@code t} (its lanes must be this process's vector length; tests run every tile). */
    static void gemm(HostPool pool, GemmLayout layout, int m, int n, int k,
                     float[] a, float[] b, float[] c, boolean accumulate, GemmTiling t) {
        if (t.lanes() != V) {
            throw new IllegalArgumentException("GEMM tiling lanes (" + t.lanes() + ") must be the vector length " + V);
        }
        if (nothingToMultiply(m, n, k, c, accumulate)) {
            return;
        }
        if (SkinnyGemm.handles(layout, m, n, t)) {
            SkinnyGemm.gemm(pool, layout, m, n, k, a, b, c, accumulate, t);
            return;
        }
        blocked(pool, layout, m, n, k, a, b, c, accumulate, t.blockingFor(layout));
    }

    /**
     * The blocked GEMM of the class comment, its work split over the pool's threads: by columns
     * (contiguous ranges of column tiles, {@link #COLUMN_RANGES_PER_THREAD} per thread, each
     * packing its own columns of B) when C has at least as many column tiles as row tiles, else
     * by row panels claimed block by block ({@link RowClaims}).
     */
    private static void blocked(HostPool pool, GemmLayout layout, int m, int n, int k,
                                float[] a, float[] b, float[] c, boolean accumulate, GemmTiling t) {
        int width = t.width();
        int colTiles = (n + width - 1) / width;
        int rowTiles = (m + t.rows() - 1) / t.rows();
        if (colTiles >= rowTiles) {
            int tasks = Math.min(colTiles, pool.threads() == 1 ? 1 : pool.threads() * COLUMN_RANGES_PER_THREAD);
            pool.parallelFor(tasks, q -> columns(layout, m, n, k, a, b, c, accumulate, t,
                    Math.min(n, colTiles * q / tasks * width), Math.min(n, colTiles * (q + 1) / tasks * width)));
        } else {
            int tasks = Math.min(pool.threads(), rowTiles);
            int blocks = ((n + t.nc() - 1) / t.nc()) * ((k + t.kc() - 1) / t.kc());
            RowClaims claims = new RowClaims(rowTiles, tasks, blocks);
            pool.parallelFor(tasks, task -> {
                try {
                    claimedRows(layout, m, n, k, a, b, c, accumulate, t, claims, task);
                } catch (RuntimeException | Error e) {
                    claims.fail();
                    throw e;
                }
            });
        }
    }

    /**
     * True, with C already final, when the product has no FMA to do: an empty C ({@code m} or
     * {@code n} zero) stays as it is, and {@code k = 0} leaves C (accumulating) or zeroes it, as
     * the scalar twin's empty chains do. The packed product ({@link PackedGemm}) shares it.
     */
    static boolean nothingToMultiply(int m, int n, int k, float[] c, boolean accumulate) {
        if (m == 0 || n == 0) {
            return true;
        }
        if (k == 0) {
            if (!accumulate) {
                Arrays.fill(c, 0, m * n, 0f);
            }
            return true;
        }
        return false;
    }

    /** Every row of C × [colFrom..colTo) by the blocked loops of the class comment, on the calling thread. */
    private static void columns(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c,
                                boolean accumulate, GemmTiling t, int colFrom, int colTo) {
        if (colFrom >= colTo) {
            return;
        }
        int rows = t.rows();
        Panels panels = PANELS.get().fit(t, layout, Math.min(t.nc(), roundUp(colTo - colFrom, t.width())) * Math.min(t.kc(), k));
        for (int jc = colFrom; jc < colTo; jc += t.nc()) {
            int ncTo = Math.min(colTo, jc + t.nc());
            for (int pc = 0; pc < k; pc += t.kc()) {
                int kc = Math.min(t.kc(), k - pc);
                packBlock(layout, b, n, k, pc, kc, jc, ncTo, t, panels.forgetTransposed().bp);
                for (int i0 = 0; i0 < m; i0 += rows) {
                    rowPanel(panels, layout, m, n, k, a, c, accumulate, t, i0, i0, m, jc, ncTo, pc, kc);
                }
            }
        }
    }

    /** Task {@code task}'s share of the row panels of C, every column, claimed block by block from {@code claims}. */
    private static void claimedRows(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c,
                                    boolean accumulate, GemmTiling t, RowClaims claims, int task) {
        Panels panels = PANELS.get().fit(t, layout, Math.min(t.nc(), roundUp(n, t.width())) * Math.min(t.kc(), k));
        int rows = t.rows();
        int ownedTo = Math.min(m, claims.ownedEnd(task) * rows);
        int block = 0;
        for (int jc = 0; jc < n; jc += t.nc()) {
            int ncTo = Math.min(n, jc + t.nc());
            for (int pc = 0; pc < k; pc += t.kc(), block++) {
                int claim = claims.claim(block, task);
                if (claim == RowClaims.NONE) {
                    continue; // the others took this block's panels: no B to pack
                }
                int kc = Math.min(t.kc(), k - pc);
                packBlock(layout, b, n, k, pc, kc, jc, ncTo, t, panels.forgetTransposed().bp);
                for (; claim != RowClaims.NONE; claim = claims.claim(block, task)) {
                    int panel = RowClaims.panel(claim);
                    int i0 = panel * rows;
                    claims.awaitEarlierBlocks(panel, block);
                    if (RowClaims.stolen(claim)) {
                        // taken from another's back, so the next one lies below: transpose the rows ending here
                        int to = Math.min(m, i0 + rows);
                        rowPanel(panels, layout, m, n, k, a, c, accumulate, t, i0, Math.max(0, to - rows * PANELS_PER_TRANSPOSE), to, jc, ncTo, pc, kc);
                    } else {
                        rowPanel(panels, layout, m, n, k, a, c, accumulate, t, i0, i0, ownedTo, jc, ncTo, pc, kc);
                    }
                    claims.done(panel, block);
                }
            }
        }
    }

    /** Packs B's block {@code [pc, pc + kc) × [jc, ncTo)} into {@code bp}, one column panel after another. */
    private static void packBlock(GemmLayout layout, float[] b, int n, int k, int pc, int kc, int jc, int ncTo,
                                  GemmTiling t, float[] bp) {
        int width = t.width();
        for (int j0 = jc; j0 < ncTo; j0 += width) {
            packB(layout, b, n, k, pc, kc, j0, Math.min(width, ncTo - j0), width, bp, (j0 - jc) * kc);
        }
    }

    /**
     * C's row panel at {@code i0} × [jc, ncTo), reduction block [pc, pc + kc), against the
     * packed B block: A's panel packed, then every column panel's micro-kernel. The weight
     * gradient's panel is copied from the transposed block; when it is not there, rows
     * {@code [from, to)} (the panel's among them) are transposed first, at most 16 panels' worth
     * from the end that the thread's next panels lie on.
     */
    private static void rowPanel(Panels panels, GemmLayout layout, int m, int n, int k, float[] a, float[] c,
                                 boolean accumulate, GemmTiling t, int i0, int from, int to, int jc, int ncTo,
                                 int pc, int kc) {
        int rows = t.rows();
        int width = t.width();
        int mr = Math.min(rows, m - i0);
        if (layout == GemmLayout.BACKWARD_WEIGHT) {
            if (i0 < panels.transposedFrom || i0 >= panels.transposedTo) {
                panels.transposedFrom = from;
                panels.transposedTo = Math.min(to, from + rows * PANELS_PER_TRANSPOSE);
                transposeA(a, m, panels.transposedFrom, panels.transposedTo, pc, kc, panels.at);
            }
            copyRows(panels.at, (i0 - panels.transposedFrom) * TRANSPOSED_STRIDE, mr, kc, rows, panels.ap);
        } else {
            packA(a, k, i0, mr, pc, kc, rows, panels.ap);
        }
        boolean load = accumulate || pc > 0;
        for (int j0 = jc; j0 < ncTo; j0 += width) {
            int nr = Math.min(width, ncTo - j0);
            int bOff = (j0 - jc) * kc;
            if (mr == rows && nr == width) {
                microKernel(t, kc, panels.ap, panels.bp, bOff, c, i0 * n + j0, n, load);
            } else {
                edgeTile(t, kc, panels.ap, panels.bp, bOff, c, i0 * n + j0, n, mr, nr, load, panels.edge);
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** A partial tile: computed full-size in {@code edge}, then only its valid part copied out. */
    private static void edgeTile(GemmTiling t, int kc, float[] ap, float[] bp, int bOff, float[] c, int cOff, int ldc,
                                 int mr, int nr, boolean load, float[] edge) {
        int width = t.width();
        Arrays.fill(edge, 0, t.rows() * width, 0f);
        if (load) {
            for (int i = 0; i < mr; i++) {
                System.arraycopy(c, cOff + i * ldc, edge, i * width, nr);
            }
        }
        microKernel(t, kc, ap, bp, bOff, edge, 0, width, true);
        for (int i = 0; i < mr; i++) {
            System.arraycopy(edge, i * width, c, cOff + i * ldc, nr);
        }
    }

    /**
     * Packs A rows [i0, i0+mr) × columns [p0, p0+kc), A stored m×k, as {@code rows} rows of kc
     * values {@link #A_STRIDE} apart, rows past mr zero: a row copy, after which the micro-kernel
     * walks each row with unit stride. (Packed the other way, kc groups of {@code rows} values,
     * the forward pack was a scalar transpose that took 13% of a 1024³ GEMM on one thread.)
     */
    private static void packA(float[] a, int k, int i0, int mr, int p0, int kc, int rows, float[] ap) {
        for (int i = 0; i < mr; i++) {
            System.arraycopy(a, (i0 + i) * k + p0, ap, i * A_STRIDE, kc);
        }
        zeroRows(ap, mr, rows, kc);
    }

    /**
     * The weight gradient's A = dYᵀ (dY stored k×m): rows [from, to) × columns [p0, p0+kc) of A,
     * row i − from at {@code (i − from) × A_STRIDE} of {@code at}. Up to
     * {@link #PANELS_PER_TRANSPOSE} row panels at once, four rows of dY side by side, into rows
     * {@link #TRANSPOSED_STRIDE} apart. Transposing one 6-row panel at a time, as before, read 6
     * values from each of kc rows of dY per panel; with m a multiple of 1024 those rows lie 4 KiB
     * apart, in one L1 set, and the weight gradient ran 47–52 GFLOP/s against 56–63 for m = 1020
     * (1024³, one thread, the Intel Xeon of {@link GemmTiling}, 2 December 2026, 23:41 UTC).
     * In one JVM, old and new alternated (23:55–00:02, 12 rounds each): 96 rows at A's stride
     * 1.01× (their one-value writes then fell in two L1 sets), at the padded stride 1.10×, four
     * rows of dY side by side 1.04× more. The transpose still took 17% of the samples of a
     * weight-gradient GEMM (JFR) before the last step, against 6.5% for the forward B pack.
     */
    private static void transposeA(float[] a, int m, int from, int to, int p0, int kc, float[] at) {
        int count = to - from;
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
            // Four rows of dY side by side: each row of the block gets four adjacent values per pass.
            int src = (p0 + p) * m + from;
            for (int i = 0; i < count; i++) {
                int d = i * TRANSPOSED_STRIDE + p;
                at[d] = a[src + i];
                at[d + 1] = a[src + m + i];
                at[d + 2] = a[src + 2 * m + i];
                at[d + 3] = a[src + 3 * m + i];
            }
        }
        for (; p < kc; p++) {
            int src = (p0 + p) * m + from;
            for (int i = 0; i < count; i++) {
                at[i * TRANSPOSED_STRIDE + p] = a[src + i];
            }
        }
    }

    /** Copies {@code mr} transposed rows from {@code at[off]} into the micro-kernel's panel, rows past mr zero. */
    private static void copyRows(float[] at, int off, int mr, int kc, int rows, float[] ap) {
        for (int i = 0; i < mr; i++) {
            System.arraycopy(at, off + i * TRANSPOSED_STRIDE, ap, i * A_STRIDE, kc);
        }
        zeroRows(ap, mr, rows, kc);
    }

    private static void zeroRows(float[] ap, int mr, int rows, int kc) {
        for (int i = mr; i < rows; i++) {
            Arrays.fill(ap, i * A_STRIDE, i * A_STRIDE + kc, 0f);
        }
    }

    /** Packs B rows [p0, p0+kc) × columns [j0, j0+nr) as kc rows of {@code width} values, columns past nr zero. */
    private static void packB(GemmLayout layout, float[] b, int n, int k, int p0, int kc, int j0, int nr, int width,
                              float[] bp, int off) {
        if (layout == GemmLayout.FORWARD) {
            // B = Wᵀ: a packed row takes one value from each of `width` rows of W. At 512 bits
            // sixteen rows at a time go through BlockTranspose, 16 steps a block, the steps past
            // the last whole block one by one. Otherwise eight rows are read side by side so each
            // packed row gets 32 contiguous bytes per pass, not 4. Against BlockTranspose, in the
            // scalar copy: sixteen rows side by side (whole lines of bp) ran 0.98×, the steps in
            // blocks of 16 0.96×, a gather of sixteen rows per step 0.96× (one JVM, calls
            // alternated, 16 rounds, AMD EPYC Zen 5, JDK 17, 3 December 2026).
            int j = 0;
            if (BlockTranspose.AVAILABLE) {
                int blocks = kc / BlockTranspose.SIZE * BlockTranspose.SIZE;
                for (; j + BlockTranspose.SIZE <= nr; j += BlockTranspose.SIZE) {
                    int s = (j0 + j) * k + p0;
                    for (int p = 0; p < blocks; p += BlockTranspose.SIZE) {
                        BlockTranspose.transpose(b, s + p, k, bp, off + p * width + j, width);
                    }
                    for (int p = blocks; p < kc; p++) {
                        for (int r = 0; r < BlockTranspose.SIZE; r++) {
                            bp[off + p * width + j + r] = b[s + r * k + p];
                        }
                    }
                }
            }
            for (; j + 8 <= nr; j += 8) {
                int s = (j0 + j) * k + p0;
                for (int p = 0; p < kc; p++) {
                    int d = off + p * width + j;
                    bp[d] = b[s + p];
                    bp[d + 1] = b[s + k + p];
                    bp[d + 2] = b[s + 2 * k + p];
                    bp[d + 3] = b[s + 3 * k + p];
                    bp[d + 4] = b[s + 4 * k + p];
                    bp[d + 5] = b[s + 5 * k + p];
                    bp[d + 6] = b[s + 6 * k + p];
                    bp[d + 7] = b[s + 7 * k + p];
                }
            }
            for (; j < width; j++) {
                if (j < nr) {
                    int src = (j0 + j) * k + p0;
                    for (int p = 0; p < kc; p++) {
                        bp[off + p * width + j] = b[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        bp[off + p * width + j] = 0f;
                    }
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int dst = off + p * width;
                System.arraycopy(b, (p0 + p) * n + j0, bp, dst, nr);
                for (int j = nr; j < width; j++) {
                    bp[dst + j] = 0f;
                }
            }
        }
    }

    private static void microKernel(GemmTiling t, int kc, float[] ap, float[] bp, int bOff,
                                    float[] c, int cOff, int ldc, boolean load) {
        if (t.vectors() == 4) {
            microKernel6x4(kc, ap, bp, bOff, c, cOff, ldc, load);
        } else {
            microKernel6x2(kc, ap, bp, bOff, c, cOff, ldc, load);
        }
    }

    /**
     * The 6×2-vector micro-kernel, for 16 vector registers: 12 accumulators, 2 B vectors and one
     * broadcast (15 of 16). A is 6 packed rows of kc values, B kc packed rows of 2 vectors.
     *
     * <p>The {@link VarHandle#loadLoadFence()} before each row's broadcast is what makes it fit.
     * Without it C2 loads a step's broadcasts together at the top of the step, as it does any
     * loads that are ready, and with four to six of them live it spills three accumulators to
     * the stack (a load, the FMA and a store each, every step: 0.49× this kernel). A load may
     * not move above a load fence, so each broadcast waits for its row and one register (JDK 25)
     * or two taking turns (JDK 17) serve all six, as in BLIS's hand-written Haswell kernel. On
     * x86 the fence orders only the compiler: it emits no instruction (loads are not reordered
     * with loads there), and the compiled loop is the 12 FMAs, 2 B loads, 6 broadcasts and five
     * or six integer instructions for B's offset and the counter (read with
     * {@code -XX:CompileCommand=print}, JDK 17 and 25). The fence keeps loads apart, not FMAs:
     * nothing but C2's scheduler puts a row's FMAs before the next row's broadcast, so a JDK
     * that schedules otherwise could spill again; {@code GemmBenchmark.gemmAvx2} would show it.
     * This tile is only chosen for x86's 16-register file; on AArch64, whose fence is an
     * instruction, the 32-register tile serves.
     */
    private static void microKernel6x2(int kc, float[] ap, float[] bp, int bOff,
                                   float[] c, int cOff, int ldc, boolean load) {
        FloatVector c0_0, c0_1;
        FloatVector c1_0, c1_1;
        FloatVector c2_0, c2_1;
        FloatVector c3_0, c3_1;
        FloatVector c4_0, c4_1;
        FloatVector c5_0, c5_1;
        if (load) {
            c0_0 = FloatVector.fromArray(S, c, cOff + 0 * ldc);
            c0_1 = FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * V);
            c1_0 = FloatVector.fromArray(S, c, cOff + 1 * ldc);
            c1_1 = FloatVector.fromArray(S, c, cOff + 1 * ldc + 1 * V);
            c2_0 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
            c2_1 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 1 * V);
            c3_0 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
            c3_1 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 1 * V);
            c4_0 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
            c4_1 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 1 * V);
            c5_0 = FloatVector.fromArray(S, c, cOff + 5 * ldc);
            c5_1 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 1 * V);
        } else {
            FloatVector z = FloatVector.zero(S);
            c0_0 = z; c0_1 = z;
            c1_0 = z; c1_1 = z;
            c2_0 = z; c2_1 = z;
            c3_0 = z; c3_1 = z;
            c4_0 = z; c4_1 = z;
            c5_0 = z; c5_1 = z;
        }
        int a1 = 1 * A_STRIDE;
        int a2 = 2 * A_STRIDE;
        int a3 = 3 * A_STRIDE;
        int a4 = 4 * A_STRIDE;
        int a5 = 5 * A_STRIDE;
        for (int p = 0; p < kc; p++) {
            int bAt = bOff + p * (2 * V); // one constant scale of p: C2 then hoists the range checks
            FloatVector b0 = FloatVector.fromArray(S, bp, bAt);
            FloatVector b1 = FloatVector.fromArray(S, bp, bAt + 1 * V);
            FloatVector a;
            VarHandle.loadLoadFence();
            a = FloatVector.broadcast(S, ap[p]);
            c0_0 = b0.fma(a, c0_0);
            c0_1 = b1.fma(a, c0_1);
            VarHandle.loadLoadFence();
            a = FloatVector.broadcast(S, ap[a1 + p]);
            c1_0 = b0.fma(a, c1_0);
            c1_1 = b1.fma(a, c1_1);
            VarHandle.loadLoadFence();
            a = FloatVector.broadcast(S, ap[a2 + p]);
            c2_0 = b0.fma(a, c2_0);
            c2_1 = b1.fma(a, c2_1);
            VarHandle.loadLoadFence();
            a = FloatVector.broadcast(S, ap[a3 + p]);
            c3_0 = b0.fma(a, c3_0);
            c3_1 = b1.fma(a, c3_1);
            VarHandle.loadLoadFence();
            a = FloatVector.broadcast(S, ap[a4 + p]);
            c4_0 = b0.fma(a, c4_0);
            c4_1 = b1.fma(a, c4_1);
            VarHandle.loadLoadFence();
            a = FloatVector.broadcast(S, ap[a5 + p]);
            c5_0 = b0.fma(a, c5_0);
            c5_1 = b1.fma(a, c5_1);
        }
        c0_0.intoArray(c, cOff + 0 * ldc);
        c0_1.intoArray(c, cOff + 0 * ldc + 1 * V);
        c1_0.intoArray(c, cOff + 1 * ldc);
        c1_1.intoArray(c, cOff + 1 * ldc + 1 * V);
        c2_0.intoArray(c, cOff + 2 * ldc);
        c2_1.intoArray(c, cOff + 2 * ldc + 1 * V);
        c3_0.intoArray(c, cOff + 3 * ldc);
        c3_1.intoArray(c, cOff + 3 * ldc + 1 * V);
        c4_0.intoArray(c, cOff + 4 * ldc);
        c4_1.intoArray(c, cOff + 4 * ldc + 1 * V);
        c5_0.intoArray(c, cOff + 5 * ldc);
        c5_1.intoArray(c, cOff + 5 * ldc + 1 * V);
    }

    /**
     * The 6×4-vector micro-kernel: 24 accumulators, 4 B vectors and one broadcast live per step;
     * A is 6 packed rows of kc values, B kc packed rows of 4 vectors.
     */
    private static void microKernel6x4(int kc, float[] ap, float[] bp, int bOff,
                                   float[] c, int cOff, int ldc, boolean load) {
        FloatVector c0_0, c0_1, c0_2, c0_3;
        FloatVector c1_0, c1_1, c1_2, c1_3;
        FloatVector c2_0, c2_1, c2_2, c2_3;
        FloatVector c3_0, c3_1, c3_2, c3_3;
        FloatVector c4_0, c4_1, c4_2, c4_3;
        FloatVector c5_0, c5_1, c5_2, c5_3;
        if (load) {
            c0_0 = FloatVector.fromArray(S, c, cOff + 0 * ldc);
            c0_1 = FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * V);
            c0_2 = FloatVector.fromArray(S, c, cOff + 0 * ldc + 2 * V);
            c0_3 = FloatVector.fromArray(S, c, cOff + 0 * ldc + 3 * V);
            c1_0 = FloatVector.fromArray(S, c, cOff + 1 * ldc);
            c1_1 = FloatVector.fromArray(S, c, cOff + 1 * ldc + 1 * V);
            c1_2 = FloatVector.fromArray(S, c, cOff + 1 * ldc + 2 * V);
            c1_3 = FloatVector.fromArray(S, c, cOff + 1 * ldc + 3 * V);
            c2_0 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
            c2_1 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 1 * V);
            c2_2 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * V);
            c2_3 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 3 * V);
            c3_0 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
            c3_1 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 1 * V);
            c3_2 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * V);
            c3_3 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 3 * V);
            c4_0 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
            c4_1 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 1 * V);
            c4_2 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * V);
            c4_3 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 3 * V);
            c5_0 = FloatVector.fromArray(S, c, cOff + 5 * ldc);
            c5_1 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 1 * V);
            c5_2 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 2 * V);
            c5_3 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 3 * V);
        } else {
            FloatVector z = FloatVector.zero(S);
            c0_0 = z; c0_1 = z; c0_2 = z; c0_3 = z;
            c1_0 = z; c1_1 = z; c1_2 = z; c1_3 = z;
            c2_0 = z; c2_1 = z; c2_2 = z; c2_3 = z;
            c3_0 = z; c3_1 = z; c3_2 = z; c3_3 = z;
            c4_0 = z; c4_1 = z; c4_2 = z; c4_3 = z;
            c5_0 = z; c5_1 = z; c5_2 = z; c5_3 = z;
        }
        int a1 = 1 * A_STRIDE;
        int a2 = 2 * A_STRIDE;
        int a3 = 3 * A_STRIDE;
        int a4 = 4 * A_STRIDE;
        int a5 = 5 * A_STRIDE;
        for (int p = 0; p < kc; p++) {
            int bAt = bOff + p * (4 * V); // one constant scale of p: C2 then hoists the range checks
            FloatVector b0 = FloatVector.fromArray(S, bp, bAt);
            FloatVector b1 = FloatVector.fromArray(S, bp, bAt + 1 * V);
            FloatVector b2 = FloatVector.fromArray(S, bp, bAt + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, bp, bAt + 3 * V);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[p]);
            c0_0 = b0.fma(a, c0_0);
            c0_1 = b1.fma(a, c0_1);
            c0_2 = b2.fma(a, c0_2);
            c0_3 = b3.fma(a, c0_3);
            a = FloatVector.broadcast(S, ap[a1 + p]);
            c1_0 = b0.fma(a, c1_0);
            c1_1 = b1.fma(a, c1_1);
            c1_2 = b2.fma(a, c1_2);
            c1_3 = b3.fma(a, c1_3);
            a = FloatVector.broadcast(S, ap[a2 + p]);
            c2_0 = b0.fma(a, c2_0);
            c2_1 = b1.fma(a, c2_1);
            c2_2 = b2.fma(a, c2_2);
            c2_3 = b3.fma(a, c2_3);
            a = FloatVector.broadcast(S, ap[a3 + p]);
            c3_0 = b0.fma(a, c3_0);
            c3_1 = b1.fma(a, c3_1);
            c3_2 = b2.fma(a, c3_2);
            c3_3 = b3.fma(a, c3_3);
            a = FloatVector.broadcast(S, ap[a4 + p]);
            c4_0 = b0.fma(a, c4_0);
            c4_1 = b1.fma(a, c4_1);
            c4_2 = b2.fma(a, c4_2);
            c4_3 = b3.fma(a, c4_3);
            a = FloatVector.broadcast(S, ap[a5 + p]);
            c5_0 = b0.fma(a, c5_0);
            c5_1 = b1.fma(a, c5_1);
            c5_2 = b2.fma(a, c5_2);
            c5_3 = b3.fma(a, c5_3);
        }
        c0_0.intoArray(c, cOff + 0 * ldc);
        c0_1.intoArray(c, cOff + 0 * ldc + 1 * V);
        c0_2.intoArray(c, cOff + 0 * ldc + 2 * V);
        c0_3.intoArray(c, cOff + 0 * ldc + 3 * V);
        c1_0.intoArray(c, cOff + 1 * ldc);
        c1_1.intoArray(c, cOff + 1 * ldc + 1 * V);
        c1_2.intoArray(c, cOff + 1 * ldc + 2 * V);
        c1_3.intoArray(c, cOff + 1 * ldc + 3 * V);
        c2_0.intoArray(c, cOff + 2 * ldc);
        c2_1.intoArray(c, cOff + 2 * ldc + 1 * V);
        c2_2.intoArray(c, cOff + 2 * ldc + 2 * V);
        c2_3.intoArray(c, cOff + 2 * ldc + 3 * V);
        c3_0.intoArray(c, cOff + 3 * ldc);
        c3_1.intoArray(c, cOff + 3 * ldc + 1 * V);
        c3_2.intoArray(c, cOff + 3 * ldc + 2 * V);
        c3_3.intoArray(c, cOff + 3 * ldc + 3 * V);
        c4_0.intoArray(c, cOff + 4 * ldc);
        c4_1.intoArray(c, cOff + 4 * ldc + 1 * V);
        c4_2.intoArray(c, cOff + 4 * ldc + 2 * V);
        c4_3.intoArray(c, cOff + 4 * ldc + 3 * V);
        c5_0.intoArray(c, cOff + 5 * ldc);
        c5_1.intoArray(c, cOff + 5 * ldc + 1 * V);
        c5_2.intoArray(c, cOff + 5 * ldc + 2 * V);
        c5_3.intoArray(c, cOff + 5 * ldc + 3 * V);
    }


}
