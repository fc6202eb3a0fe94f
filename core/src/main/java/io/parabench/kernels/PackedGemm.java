package io.parabench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * {@code Y = X·Wᵀ} with W packed into panels of {@link #WIDTH} = one vector of rows
 * ({@link PackedWeight}): the decode GEMV and the small micro-batch GEMM as a sequential read
 * of W. The kernels take {@link #STREAMS} panels at a time, {@link #STRIPE} columns of Y: each
 * step p loads one vector of weights for input feature p from each panel of the stripe and adds
 * {@code x[i][p]} times them into one accumulator per panel and row of X, one FMA each: every
 * lane is one FMA chain in increasing p from 0 (or from Y), the scalar twin's order and bits,
 * and no lane multiplies padding except in the last stripe and the last group of rows.
 *
 * <p><b>Kernels.</b> One row of X (decode) takes {@link #oneRow}: three accumulators, three loads
 * and one broadcast per step. More rows go in groups of {@link #ROWS} = 4 ({@link #fourRows}:
 * twelve accumulators, three loads, four broadcasts per twelve FMAs: sixteen vector registers
 * on paper, AVX2's sixteen, though C2 loads a step's broadcasts together and keeps two
 * accumulators on the stack, see below) or 8 ({@link #eightRows}, AVX-512's 32; but four for
 * m up to four, {@link #rowsFor}), the last group padded with zero rows; with AVX2, five to
 * eight rows make one group of eight whose rows lie in the lanes ({@link #rowsInLanes}, where W
 * is broadcast instead of X: {@link #ROWS_IN_LANES}). The groups of a stripe
 * take turns over chunks of {@link #CHUNK} steps, so W comes from memory once, for the first
 * group, and from L1 for the rest. X is rearranged once per call
 * into {@code ⌈m/rows⌉ × k × rows} floats, the values of a step side by side.
 *
 * <p><b>Why it reaches the memory bound.</b> One FMA per {@code 4·V} bytes of W per row of X, so
 * even eight rows issue one vector FMA per 32 bytes at 512 bits, 16 bytes a cycle on two FMA
 * ports, above what one core reads from memory (about 45 GB/s here); the reads are three
 * sequential streams, one per panel of the stripe, which the hardware prefetcher follows. The
 * unpacked kernels cannot do this: W's rows lie {@code 4k} bytes apart, so {@link TransposedGemv} spends most of its instructions transposing
 * in registers, and {@link SkinnyGemm}'s rows-against-rows kernel broadcasts every weight.
 *
 * <p><b>Measured</b> (2 December 2026, JDK 17 unless said, an Intel Xeon of the Sapphire Rapids
 * class under KVM: 2 vCPUs, AVX-512 with 32 registers, 2 MiB L2 per core, 105 MiB L3 shared with
 * other guests; one thread unless said, n = k = 2048, W 16 MiB, which the L3 can hold, so the
 * read bound is the host's, whatever level serves it; it moved between 9 and 36 GB/s within
 * minutes, so only ratios taken in the same minutes mean anything):
 * <ul>
 *   <li>JMH ({@code GemmBenchmark.skinnyPacked}, 3 forks, 20:29–20:31 UTC): m = 1 21.1 ± 1.8 GB/s
 *       of W against {@code skinnyReadBound}'s 20.1 ± 1.6 (105%); m = 8 8.9 ± 2.3 (45%); W as
 *       stored ({@code skinny}) 13.7 (68%) and 5.5 (27%). At 20:45–20:47 (2 forks), against the
 *       read on as many threads: one thread m = 1 21.2 ± 2.1 against 22.4 ± 1.6 (95%), m = 8
 *       16.9 ± 2.6 (76%); two threads 36.9 ± 3.8 against 36.5 ± 1.2 (101%) and 27.2 ± 2.5 (75%).</li>
 *   <li>In one process, batches alternated with a plain read of W (dev harness, 20:20): m = 1
 *       106–117% of the read, m = 8 76–83%; {@code OpenBlasDuel skinny} on JDK 25 (20:28): m = 1
 *       93%, m = 8 54%, W as stored 88% and 43%, OpenBLAS's {@code cblas_sgemm} 34% and 28%.</li>
 *   <li>m = 8 is bound by its instructions more than by memory: eight rows are 16 vector FMAs,
 *       8 broadcasts and 2 loads per 128 bytes of W. With W in L2 the kernel ran 33–34 GB/s (16
 *       in the host's slow windows); m = 8's FMAs alone, in registers, would allow 35 GB/s in
 *       the minute the product ran 7.1 ({@code OpenBlasDuel skinny}, 20:39 UTC). Four rows in
 *       two passes over chunks in L1 ran 40 in L2 but 56–66% of the read from memory, and
 *       unrolling two steps or three vectors of columns were within 5% of this kernel.</li>
 *   <li>Packing ({@code GemmBenchmark.packWeight}): about 11 ms for the 16 MiB W, 1.5 GB/s,
 *       the time of 10–20 products; it pays in a decode loop, not for one product.</li>
 *   <li>On an AMD EPYC (Zen 4, family 25 model 17, KVM, 2 vCPUs, AVX-512 on 256-bit units, 1 MiB
 *       L2 per core, 32 MiB L3; 3 December 2026, JDK 17), which holds the 16 MiB W in its L3 and
 *       reads it there at 58–67 GB/s, m = 8 ran 97 GFLOP/s, near the core's FMA limit (about 116),
 *       and so only 42% of that read: which is why {@code GemmBenchmark.skinnyPackedFromMemory}
 *       now takes W from memory (W rotated over copies that outgrow the L3), where one thread
 *       reads it at about 30 GB/s and m = 8 ran 73% (one thread) and 89% (two), m = 1 103% and
 *       101% (JMH, one fork each). With {@code -XX:UseAVX=2} m = 1 held (87%) but m = 8 fell to
 *       33–35%, about 34–42 GFLOP/s with W in L3: the four-row kernel's compiled loop keeps two
 *       accumulators and its loop counter on the stack and checks two of its three W loads every
 *       step (C2 loads the four broadcasts first, 12 + 3 + 4 = 19 vectors). Tried and dropped
 *       there: groups of three rows (no spill, 1.25× in L3 but 1.06× from memory: then every
 *       decode loop here is bound by how far ahead the core's window reaches into W, about
 *       20–22 GB/s for a loop of 40–60 instructions a step; Java has no prefetch instruction),
 *       W offsets written so that C2 hoists all range checks (0.82–0.97× at 512 bits), and eight rows
 *       in the lanes of one vector with W broadcast (38 against 33 GFLOP/s, the same window
 *       bound).</li>
 *   <li>On an AMD EPYC Zen 5 (family 26 model 2, KVM, 2 vCPUs, AVX-512 on 512-bit units, 1 MiB
 *       L2 per core, 32 MiB L3; 3 December 2026, JDK 17), W from memory
 *       ({@code skinnyPackedFromMemory}, two forks, twice): m = 1 96% and 92% of the read on one
 *       and two threads, m = 8 66% and 64% on one thread, 75–77% on two (a third run's second
 *       fork fell to 41%, the host). The eight-row kernel alone, W in L1, ran 200–230 GFLOP/s
 *       (52–58 GB/s of W); W in L3, 124–128 (31 GB/s); from memory about 80 (20 GB/s) where the
 *       read alone took 28: its FMAs and its reads barely overlap (serialized they would give
 *       1/(1/52 + 1/28) = 18 GB/s). Not the loop's integer work, though C2 keeps the step counter
 *       and the stream offsets on the stack: with the offsets as constants the kernel read 16–23
 *       GB/s from memory against 18–27 for this one, alternated; load fences before the
 *       broadcasts, as in {@link VectorGemm}'s AVX2 kernel, 0.96×; W's indices written so that C2
 *       hoists their range checks, 0.99× (in one order of a harness later found to favour its second
 *       place by about 2%; with both orders, 1.02×, and kept: {@link #eightRows}); the stripe's
 *       offsets as induction variables, 1.02×.
 *       With {@code -XX:UseAVX=2} m = 8 read 25–26% of the read; four rows against two panels
 *       (8 accumulators + 2 + 4 broadcasts: no spill) 1.10×, not kept: at 256 bits m = 8's FMAs
 *       consume W at 31 GB/s when they run at the FMA loop's 125 GFLOP/s, about the read itself,
 *       so 70% would need them at 80% of the core's peak while the reads stream. Later that
 *       day (09:40–10:40 UTC, JMH, two forks each): m = 8 on one thread 70% and 76%, then 68%,
 *       66%, 63% and 62% in four runs at 10:36–10:40; on two threads 82%; m = 1 99% and 92%. So
 *       one thread's m = 8 sits around the 70% line, with the host. Tried then, in one JVM against
 *       this kernel, W from memory, calls alternated, results compared: a touch-ahead load per
 *       stream and step (a float's bits summed, as the FP8 cast does), 4 steps ahead 0.97×,
 *       12–96 steps 0.69–0.76× (a touch holds the core's window until its line arrives, as the
 *       real load did, so no more lines are in flight); six rows against four panels (29
 *       registers, 8.5 instructions a line against 11.7), then the other two rows from L1:
 *       0.86–0.87× for chunks of 32–256 steps; four rows against six panels (31 registers, 5.7
 *       instructions a line from memory), twice over chunks in L1: 0.77–0.80×; the three panels
 *       of a stripe interleaved into one stream (packed as one panel three vectors wide): m = 8
 *       1.02–1.08× in three runs, then 0.95× and 0.96× in two of 20 rounds each with the order
 *       swapped, m = 1 1.13× once (on the Intel Xeon one stream ran slower than two: {@link #STREAMS});
 *       {@code -XX:+UseTransparentHugePages}: the same shares. With
 *       {@code -XX:UseAVX=2}: eight rows against one panel at a time (10 registers) 0.78×; six
 *       rows against two panels with {@link VectorGemm}'s load fences, then two rows: 1.05× from
 *       memory, 0.99× from L3, as C2 still grouped the broadcasts and spilled two accumulators.
 *       A later session (13:20–14:20 UTC): two stripes taking turns over chunks of 64 steps, six
 *       streams for the prefetcher, 0.85×; two steps a turn, 1.01×. In the dev harness the same
 *       kernel's share of the read moved from 68–71% to 83–86% within ten minutes; in JMH, two
 *       forks each: one thread 67% and 72% (forks 63–76%), then 65%, 68% and 62% with JDK 25,
 *       17 and 25 forks in turn (so no JDK effect); two threads 74% and 75%. The eight
 *       FMAs a line of W must issue are the floor of this loop's instructions, and with them
 *       one thread's m = 8 sits at this host's 70% line, above it or below by the minute.
 *       Tried on 3 December 2026 (15:30–16:05 UTC, dev harness, every variant run twice with
 *       the two jars' places swapped, since the second place alone read about 2% faster):
 *       W's next step loaded one step ahead (31 registers, one accumulator spilled) 1.02× and
 *       then 1/1.021, so nothing; two steps ahead 0.965×; each chunk of 64 steps copied into
 *       an L1 buffer while the chunk before is multiplied from the other one (the FMAs then wait
 *       on L1 only) 0.55× with or without 2 KiB between the halves, as the copy's registers
 *       made C2 spill the loop's counters and offsets; one touch a stream every 64 steps, 64
 *       or 128 steps ahead (the next 4 KiB page, where a stream prefetcher stops) 0.90–0.93×
 *       and 1/1.13–1.15; rows 0–3 from memory and rows 4–7 from L1 a chunk behind them in the
 *       same loop, so only four FMAs a line wait on memory: 0.59–0.73× for chunks of 16–128
 *       steps. JMH (three forks, 15:45 UTC): one thread 69% (forks 64, 71, 71), two 82%.
 *       With {@code -XX:UseAVX=2}, m = 4 (one group of four, 49–54% of the read): a load fence
 *       before each broadcast, as {@link VectorGemm}'s AVX2 tile has, 1.015× and 1/1.044; four
 *       rows against the stripe's first two panels and then its third alone (no spill), 0.984×
 *       and 1/1.07; m = 1 (72–76%) with two steps a turn, 0.955× and 1/1.127.
 *       What bounds one thread (3 December 2026, 17:20–17:30 UTC, JDK 17): loops of this
 *       kernel's shape timed beside the plain read in one JVM, W from memory, their order
 *       rotating every round, as shares of the read (geomeans of 10–14 rounds, two runs): this
 *       eight-row loop 67% and 74%; the same loop with four rows (half the FMAs and broadcasts,
 *       the same loads and integer work) 74% and 79%; those four rows plus eight FMAs a step
 *       that wait on no load 71%, or plus twelve integer operations 69%; one row 94%; eight
 *       rows with the panels' offsets as constants (most of the integer work gone, two
 *       accumulators spilled) 70% and 76%, or in chunks of 128 steps with a constant trip count
 *       73%. So one thread's share falls with every instruction its loop issues per line of W,
 *       whichever unit runs it, as the core's window then holds fewer lines in flight, and
 *       halving m = 8's arithmetic buys only 5–7 points: with the eight FMAs a line the product
 *       fixes, one thread of this host holds m = 8 near 70% of its own read, while two threads,
 *       the host's whole read, reach 73–82%.</li>
 *   <li>Larger m (same W, one thread, one JVM, calls alternated with the unpacked GEMM, 21:04, a
 *       slow window): m = 16 35.0 against 34.7 GFLOP/s, m = 32 49.8 against 50.8, m = 64 62.1
 *       against 39.4, m = 256 62.9 against 71.8: from a few hundred rows the register tiles of
 *       {@link VectorGemm} win.</li>
 * </ul>
 *
 * <p>Threads claim contiguous ranges of panels, {@link #RANGES_PER_THREAD} per thread, one at a
 * time, so the balance follows the host; each range's columns of Y are written by one thread.
 * Stateless; thread safe.
 */
final class PackedGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Rows of W per panel: one vector. */
    static final int WIDTH = V;
    /**
     * Panels per kernel call, read as that many streams side by side: three, {@link #STRIPE}
     * columns of Y. Panels of two vectors read as one stream issue the same instructions, but
     * with eight rows of X the FMAs fill the core's window and the one stream's misses come late;
     * each further stream is one more the hardware prefetcher runs ahead on. On the Intel Xeon of
     * {@link GemmTiling} (3 December 2026, 04:00–04:15 UTC, JDK 17, n = k = 2048, one thread):
     * <ul>
     *   <li>the eight-row kernel alone, single calls alternated with a plain read of the same W
     *       (median of 15 a round): two streams 0.77, 0.75 and 0.81 of the read against 0.63,
     *       0.69 and 0.54 for one (geomeans of 12, 30 and 20 rounds); in a run of 24 rounds one,
     *       two and three streams 0.76, 0.82 and 0.86;</li>
     *   <li>the whole product with pairs of panels, old and new jar in one JVM, calls alternated,
     *       in a slow window (W read at 6–12 GB/s): m = 8 1.29×, m = 1 1.46× the one stream; on
     *       two threads 1.06× and 1.12×; three streams against two the same way (04:14): m = 8
     *       1.16×, m = 1 1.09×, m = 8 on two threads 1.08×; with {@code -XX:UseAVX=2} (sixteen
     *       registers, groups of four rows) m = 8 1.06×, m = 1 1.10× (geomeans of the last three
     *       quarters of 16 and 12 rounds); three streams against the one, with the JVM limited to
     *       256 and 128 bits (04:45): m = 8 1.38× and 1.08×, m = 1 1.17× and 1.25×.</li>
     * </ul>
     * Three streams of eight rows hold 24 accumulators, three weights and a broadcast (28 of
     * AVX-512's 32 registers); four rows hold 12 + 3 + 1, AVX2's sixteen.
     */
    static final int STREAMS = 3;
    /** Columns of Y per kernel call: {@link #STREAMS} panels. */
    static final int STRIPE = STREAMS * WIDTH;
    /**
     * Rows of X per group on this JVM: eight with 32 vector registers (24 accumulators, three
     * weights and a broadcast: 28), four with AVX2's sixteen (16).
     */
    static final int ROWS = GemmTiling.vectorRegisters() >= 32 ? 8 : 4;
    /**
     * Whether one group of five to eight rows takes {@link #rowsInLanes}, the rows of X in the
     * lanes of one vector: with eight lanes and sixteen registers (AVX2), where groups of four
     * rows taking turns over chunks read W at 25% of the plain read for m = 8. On the AMD EPYC Zen
     * 5 with {@code -XX:UseAVX=2} (3 December 2026, JDK 17, n = k = 2048, one thread, dev
     * harness, calls alternated, results compared): 1.27× from memory (32% of the read against
     * 25%), 1.6× with W in L2 (75 GFLOP/s against 47, of the core's 125 at 256 bits); JMH
     * ({@code skinnyPackedFromMemory}, two forks, the old and new jars in turn): 33% against 25% on
     * one thread, 39% against 37% on two. Twelve
     * columns a pass (a panel and a half, 12 accumulators) instead of one panel's eight:
     * 1.02× and 1.04×, within the harness's bias, so not kept. More than eight rows as groups of
     * eight in the lanes, taking turns over chunks with their sums kept transposed between them:
     * 0.75× and 1/1.59 for m = 16, 0.54× and 1/2.05 for m = 12 (the jars' places swapped), so
     * those keep the groups of four. With 32 registers at 256 bits ({@code -XX:MaxVectorSize=32}
     * on the same host) the lanes read 36% of the read against {@link #eightRows}' 56%, so only
     * sixteen registers take them.
     */
    static final boolean ROWS_IN_LANES = V == 8 && GemmTiling.vectorRegisters() < 32;
    /** Steps of a stripe the groups of rows take turns over: 24 KiB of W at 512 bits, in L1 for the second group. */
    static final int CHUNK = 128;
    /**
     * Contiguous ranges of panels per host thread, claimed one at a time by whichever thread is
     * free, so a thread the host runs slowly takes fewer (as {@link RowClaims} does for the square
     * GEMM). Against one range per thread, in one JVM on the 2-vCPU Intel Xeon (3 December 2026,
     * JDK 17, W 2048 × 2048 packed, two threads, calls alternated, median of 15 a round): m = 8
     * 1.04× and 1.08×, m = 1 1.08× and 1.10× (geomeans of 12 and 18 rounds; single rounds
     * 0.90–1.25×).
     */
    static final int RANGES_PER_THREAD = 4;

    private PackedGemm() {
    }

    static void gemm(HostPool pool, int m, float[] x, PackedWeight w, float[] y, boolean accumulate) {
        gemm(pool, m, x, w, y, accumulate, rowsFor(m));
    }

    /**
     * Rows per group for m rows of X: {@link #ROWS}, but four when m is at most four, so two to
     * four rows (speculative decoding, small serving batches) do not pay for eight rows of FMAs,
     * half of them on zero padding. Same bits: every lane's chain is the same whatever the group.
     * On the AMD EPYC Zen 5 (3 December 2026, JDK 17, {@code skinnyPackedFromMemory}: W from
     * memory, one thread, two forks each), as a share of the plain read of W: with groups of
     * eight, m = 2, 4, 6 and 8 read W at 70%, 71%, 67% and 70%, eight rows' instructions per
     * line of W whatever m; with groups of four, m = 2, 3 and 4 at 79%, 84% and 82% (forks 75/82,
     * 81/87, 80/84), but m = 6 and 8, as two groups taking turns over chunks, at 52% and 53%.
     * With {@code -XX:MaxVectorSize=32} (256 bits, 32 registers) m = 2 and 4: 57% and 54% with
     * groups of four against 51% and 52% with groups of eight. AVX2's sixteen registers had
     * groups of four already.
     */
    static int rowsFor(int m) {
        return m <= 4 ? 4 : ROWS_IN_LANES && m <= 8 ? 8 : ROWS;
    }

    /** The product with groups of {@code rows} (4 or 8) rows of X; tests run both on every JVM. */
    static void gemm(HostPool pool, int m, float[] x, PackedWeight w, float[] y, boolean accumulate, int rows) {
        if (rows != 4 && rows != 8) {
            throw new IllegalArgumentException("packed GEMM rows per group (" + rows + ") must be 4 or 8");
        }
        int n = w.outFeatures();
        int k = w.inFeatures();
        if (w.width() != WIDTH) {
            // Packed by the scalar twin (or on another JVM's width): same product, plain chains.
            ScalarKernels.INSTANCE.gemm(pool, m, x, w, y, accumulate);
            return;
        }
        if (VectorGemm.nothingToMultiply(m, n, k, y, accumulate)) {
            return;
        }
        int groups = m == 1 ? 1 : (m + rows - 1) / rows;
        float[] xg = m == 1 ? x : stepMajor(m, k, x, groups, rows);
        int stripes = (w.panelCount() + STREAMS - 1) / STREAMS;
        int tasks = pool.threads() == 1 ? 1 : Math.min(stripes, pool.threads() * RANGES_PER_THREAD);
        pool.parallelFor(tasks, t -> {
            float[] tile = new float[groups * rows * STRIPE];
            for (int q = stripes * t / tasks; q < stripes * (t + 1) / tasks; q++) {
                stripe(m, n, k, xg, groups, rows, w.panels(), q, y, accumulate, tile);
            }
        });
    }

    /** X's rows in groups of {@code rows}, each group {@code k} steps of {@code rows} values; rows past m zero. */
    private static float[] stepMajor(int m, int k, float[] x, int groups, int rows) {
        float[] xg = new float[groups * k * rows];
        for (int i = 0; i < m; i++) {
            int to = i / rows * k * rows + i % rows;
            for (int p = 0; p < k; p++) {
                xg[to + p * rows] = x[i * k + p];
            }
        }
        return xg;
    }

    /**
     * Columns {@code q·STRIPE …} of Y, panels {@code STREAMS·q} on: the tile gathers them (or
     * zeros), the kernels run, the valid part goes back. A last stripe short of panels reads its
     * first panel again in their place (its lanes are not copied out).
     */
    private static void stripe(int m, int n, int k, float[] xg, int groups, int rows, float[] wp, int q, float[] y,
                               boolean accumulate, float[] tile) {
        int j0 = q * STRIPE;
        int nj = Math.min(STRIPE, n - j0);
        Arrays.fill(tile, 0f);
        if (accumulate) {
            for (int i = 0; i < m; i++) {
                System.arraycopy(y, i * n + j0, tile, i * STRIPE, nj);
            }
        }
        // where the stripe's three panels start: a short last stripe reads its first panel again
        int w0 = STREAMS * q * WIDTH * k;
        int w1 = nj > WIDTH ? w0 + WIDTH * k : w0;
        int w2 = nj > 2 * WIDTH ? w0 + 2 * WIDTH * k : w0;
        if (m == 1) {
            oneRow(k, xg, wp, w0, w1, w2, tile);
        } else if (rows == 8 && groups == 1 && ROWS_IN_LANES) {
            float[] columns = new float[8 * WIDTH];
            for (int s = 0; s < (nj + WIDTH - 1) / WIDTH; s++) {
                rowsInLanes(k, xg, wp, w0 + s * WIDTH * k, tile, s * WIDTH, columns);
            }
        } else {
            int chunk = groups == 1 ? k : CHUNK;
            for (int p0 = 0; p0 < k; p0 += chunk) {
                int to = Math.min(k, p0 + chunk);
                for (int g = 0; g < groups; g++) {
                    if (rows == 8) {
                        eightRows(p0, to, xg, g * k * rows, wp, w0, w1, w2, tile, g * rows * STRIPE);
                    } else {
                        fourRows(p0, to, xg, g * k * rows, wp, w0, w1, w2, tile, g * rows * STRIPE);
                    }
                }
            }
        }
        for (int i = 0; i < m; i++) {
            System.arraycopy(tile, i * STRIPE, y, i * n + j0, nj);
        }
    }

    /**
     * One row of X against a stripe of panels (starting at {@code w0}, {@code w1} and
     * {@code w2}), all k steps; sums in and out of {@code tile[0 … STRIPE)}. Every kernel indexes
     * W as a panel's start plus the step's offset, an invariant plus a multiple of the loop
     * variable, so C2 checks the ranges once before the loop (see {@link #eightRows}).
     */
    private static void oneRow(int k, float[] x, float[] wp, int w0, int w1, int w2, float[] tile) {
        FloatVector c0 = FloatVector.fromArray(S, tile, 0 * V);
        FloatVector c1 = FloatVector.fromArray(S, tile, 1 * V);
        FloatVector c2 = FloatVector.fromArray(S, tile, 2 * V);
        for (int p = 0; p < k; p++) {
            int step = p * WIDTH;
            FloatVector a = FloatVector.broadcast(S, x[p]);
            c0 = FloatVector.fromArray(S, wp, w0 + step).fma(a, c0);
            c1 = FloatVector.fromArray(S, wp, w1 + step).fma(a, c1);
            c2 = FloatVector.fromArray(S, wp, w2 + step).fma(a, c2);
        }
        c0.intoArray(tile, 0 * V);
        c1.intoArray(tile, 1 * V);
        c2.intoArray(tile, 2 * V);
    }

    /**
     * Eight rows of X (step-major, {@code xg[8p + i]}) in the lanes of one vector against one panel
     * of eight rows of W ({@link #ROWS_IN_LANES}: V = 8): per step one load of X, and for each of
     * the panel's eight columns of Y a broadcast weight and one FMA into that column's
     * accumulator, lane i holding {@code Y[i][j]}: ten registers. Each lane's chain is still
     * {@code fma(x[i][p], w[j][p], y)} in increasing p, the scalar twin's bits. The accumulators
     * come from and go back to tile columns {@code col0 …} through {@code columns}, transposed.
     */
    private static void rowsInLanes(int k, float[] xg, float[] wp, int panel, float[] tile, int col0,
                                    float[] columns) {
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                columns[j * 8 + i] = tile[i * STRIPE + col0 + j];
            }
        }
        FloatVector y0 = FloatVector.fromArray(S, columns, 0 * 8);
        FloatVector y1 = FloatVector.fromArray(S, columns, 1 * 8);
        FloatVector y2 = FloatVector.fromArray(S, columns, 2 * 8);
        FloatVector y3 = FloatVector.fromArray(S, columns, 3 * 8);
        FloatVector y4 = FloatVector.fromArray(S, columns, 4 * 8);
        FloatVector y5 = FloatVector.fromArray(S, columns, 5 * 8);
        FloatVector y6 = FloatVector.fromArray(S, columns, 6 * 8);
        FloatVector y7 = FloatVector.fromArray(S, columns, 7 * 8);
        for (int p = 0; p < k; p++) {
            FloatVector xp = FloatVector.fromArray(S, xg, p * 8);
            int at = panel + p * 8;
            y0 = xp.fma(FloatVector.broadcast(S, wp[at + 0]), y0);
            y1 = xp.fma(FloatVector.broadcast(S, wp[at + 1]), y1);
            y2 = xp.fma(FloatVector.broadcast(S, wp[at + 2]), y2);
            y3 = xp.fma(FloatVector.broadcast(S, wp[at + 3]), y3);
            y4 = xp.fma(FloatVector.broadcast(S, wp[at + 4]), y4);
            y5 = xp.fma(FloatVector.broadcast(S, wp[at + 5]), y5);
            y6 = xp.fma(FloatVector.broadcast(S, wp[at + 6]), y6);
            y7 = xp.fma(FloatVector.broadcast(S, wp[at + 7]), y7);
        }
        y0.intoArray(columns, 0 * 8);
        y1.intoArray(columns, 1 * 8);
        y2.intoArray(columns, 2 * 8);
        y3.intoArray(columns, 3 * 8);
        y4.intoArray(columns, 4 * 8);
        y5.intoArray(columns, 5 * 8);
        y6.intoArray(columns, 6 * 8);
        y7.intoArray(columns, 7 * 8);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                tile[i * STRIPE + col0 + j] = columns[j * 8 + i];
            }
        }
    }

    /**
     * Four rows of X (step-major from {@code xg[xOff]}) against a stripe of panels, steps
     * {@code from … to−1}; sums in and out of the four tile rows from {@code tile[tOff]}.
     */
    private static void fourRows(int from, int to, float[] xg, int xOff, float[] wp, int w0, int w1, int w2,
                                 float[] tile, int tOff) {
        FloatVector c0_0 = FloatVector.fromArray(S, tile, tOff + 0 * STRIPE + 0 * V);
        FloatVector c0_1 = FloatVector.fromArray(S, tile, tOff + 0 * STRIPE + 1 * V);
        FloatVector c0_2 = FloatVector.fromArray(S, tile, tOff + 0 * STRIPE + 2 * V);
        FloatVector c1_0 = FloatVector.fromArray(S, tile, tOff + 1 * STRIPE + 0 * V);
        FloatVector c1_1 = FloatVector.fromArray(S, tile, tOff + 1 * STRIPE + 1 * V);
        FloatVector c1_2 = FloatVector.fromArray(S, tile, tOff + 1 * STRIPE + 2 * V);
        FloatVector c2_0 = FloatVector.fromArray(S, tile, tOff + 2 * STRIPE + 0 * V);
        FloatVector c2_1 = FloatVector.fromArray(S, tile, tOff + 2 * STRIPE + 1 * V);
        FloatVector c2_2 = FloatVector.fromArray(S, tile, tOff + 2 * STRIPE + 2 * V);
        FloatVector c3_0 = FloatVector.fromArray(S, tile, tOff + 3 * STRIPE + 0 * V);
        FloatVector c3_1 = FloatVector.fromArray(S, tile, tOff + 3 * STRIPE + 1 * V);
        FloatVector c3_2 = FloatVector.fromArray(S, tile, tOff + 3 * STRIPE + 2 * V);
        for (int p = from; p < to; p++) {
            int step = p * WIDTH;
            int xa = xOff + p * 4;
            FloatVector b0 = FloatVector.fromArray(S, wp, w0 + step);
            FloatVector b1 = FloatVector.fromArray(S, wp, w1 + step);
            FloatVector b2 = FloatVector.fromArray(S, wp, w2 + step);
            FloatVector a;
            a = FloatVector.broadcast(S, xg[xa + 0]);
            c0_0 = b0.fma(a, c0_0);
            c0_1 = b1.fma(a, c0_1);
            c0_2 = b2.fma(a, c0_2);
            a = FloatVector.broadcast(S, xg[xa + 1]);
            c1_0 = b0.fma(a, c1_0);
            c1_1 = b1.fma(a, c1_1);
            c1_2 = b2.fma(a, c1_2);
            a = FloatVector.broadcast(S, xg[xa + 2]);
            c2_0 = b0.fma(a, c2_0);
            c2_1 = b1.fma(a, c2_1);
            c2_2 = b2.fma(a, c2_2);
            a = FloatVector.broadcast(S, xg[xa + 3]);
            c3_0 = b0.fma(a, c3_0);
            c3_1 = b1.fma(a, c3_1);
            c3_2 = b2.fma(a, c3_2);
        }
        c0_0.intoArray(tile, tOff + 0 * STRIPE + 0 * V);
        c0_1.intoArray(tile, tOff + 0 * STRIPE + 1 * V);
        c0_2.intoArray(tile, tOff + 0 * STRIPE + 2 * V);
        c1_0.intoArray(tile, tOff + 1 * STRIPE + 0 * V);
        c1_1.intoArray(tile, tOff + 1 * STRIPE + 1 * V);
        c1_2.intoArray(tile, tOff + 1 * STRIPE + 2 * V);
        c2_0.intoArray(tile, tOff + 2 * STRIPE + 0 * V);
        c2_1.intoArray(tile, tOff + 2 * STRIPE + 1 * V);
        c2_2.intoArray(tile, tOff + 2 * STRIPE + 2 * V);
        c3_0.intoArray(tile, tOff + 3 * STRIPE + 0 * V);
        c3_1.intoArray(tile, tOff + 3 * STRIPE + 1 * V);
        c3_2.intoArray(tile, tOff + 3 * STRIPE + 2 * V);
    }

    /**
     * Eight rows of X (step-major from {@code xg[xOff]}) against a stripe of panels, steps
     * {@code from … to−1}; sums in and out of the eight tile rows from {@code tile[tOff]}.
     *
     * <p>W's indices are a panel's start plus {@code p·WIDTH}, so C2 moves their range checks
     * before the loop; written as the first panel's index plus the distance to the others, two
     * of the three stayed in the loop, a compare and a branch each, with their sums. On the AMD
     * EPYC Zen 5 (3 December 2026, JDK 17, W from memory, one thread, the dev harness's 24
     * rounds, run twice with the two builds' places swapped): m = 8 1.035× and 1/0.995, m = 4
     * 1.020× and 1/0.986, m = 1 1.002× and 1/0.945, about 2% for m = 4 and 8, as one thread's
     * share falls with every instruction a line of W costs (the class notes).
     */
    private static void eightRows(int from, int to, float[] xg, int xOff, float[] wp, int w0, int w1, int w2,
                                  float[] tile, int tOff) {
        FloatVector c0_0 = FloatVector.fromArray(S, tile, tOff + 0 * STRIPE + 0 * V);
        FloatVector c0_1 = FloatVector.fromArray(S, tile, tOff + 0 * STRIPE + 1 * V);
        FloatVector c0_2 = FloatVector.fromArray(S, tile, tOff + 0 * STRIPE + 2 * V);
        FloatVector c1_0 = FloatVector.fromArray(S, tile, tOff + 1 * STRIPE + 0 * V);
        FloatVector c1_1 = FloatVector.fromArray(S, tile, tOff + 1 * STRIPE + 1 * V);
        FloatVector c1_2 = FloatVector.fromArray(S, tile, tOff + 1 * STRIPE + 2 * V);
        FloatVector c2_0 = FloatVector.fromArray(S, tile, tOff + 2 * STRIPE + 0 * V);
        FloatVector c2_1 = FloatVector.fromArray(S, tile, tOff + 2 * STRIPE + 1 * V);
        FloatVector c2_2 = FloatVector.fromArray(S, tile, tOff + 2 * STRIPE + 2 * V);
        FloatVector c3_0 = FloatVector.fromArray(S, tile, tOff + 3 * STRIPE + 0 * V);
        FloatVector c3_1 = FloatVector.fromArray(S, tile, tOff + 3 * STRIPE + 1 * V);
        FloatVector c3_2 = FloatVector.fromArray(S, tile, tOff + 3 * STRIPE + 2 * V);
        FloatVector c4_0 = FloatVector.fromArray(S, tile, tOff + 4 * STRIPE + 0 * V);
        FloatVector c4_1 = FloatVector.fromArray(S, tile, tOff + 4 * STRIPE + 1 * V);
        FloatVector c4_2 = FloatVector.fromArray(S, tile, tOff + 4 * STRIPE + 2 * V);
        FloatVector c5_0 = FloatVector.fromArray(S, tile, tOff + 5 * STRIPE + 0 * V);
        FloatVector c5_1 = FloatVector.fromArray(S, tile, tOff + 5 * STRIPE + 1 * V);
        FloatVector c5_2 = FloatVector.fromArray(S, tile, tOff + 5 * STRIPE + 2 * V);
        FloatVector c6_0 = FloatVector.fromArray(S, tile, tOff + 6 * STRIPE + 0 * V);
        FloatVector c6_1 = FloatVector.fromArray(S, tile, tOff + 6 * STRIPE + 1 * V);
        FloatVector c6_2 = FloatVector.fromArray(S, tile, tOff + 6 * STRIPE + 2 * V);
        FloatVector c7_0 = FloatVector.fromArray(S, tile, tOff + 7 * STRIPE + 0 * V);
        FloatVector c7_1 = FloatVector.fromArray(S, tile, tOff + 7 * STRIPE + 1 * V);
        FloatVector c7_2 = FloatVector.fromArray(S, tile, tOff + 7 * STRIPE + 2 * V);
        for (int p = from; p < to; p++) {
            int step = p * WIDTH;
            int xa = xOff + p * 8;
            FloatVector b0 = FloatVector.fromArray(S, wp, w0 + step);
            FloatVector b1 = FloatVector.fromArray(S, wp, w1 + step);
            FloatVector b2 = FloatVector.fromArray(S, wp, w2 + step);
            FloatVector a;
            a = FloatVector.broadcast(S, xg[xa + 0]);
            c0_0 = b0.fma(a, c0_0);
            c0_1 = b1.fma(a, c0_1);
            c0_2 = b2.fma(a, c0_2);
            a = FloatVector.broadcast(S, xg[xa + 1]);
            c1_0 = b0.fma(a, c1_0);
            c1_1 = b1.fma(a, c1_1);
            c1_2 = b2.fma(a, c1_2);
            a = FloatVector.broadcast(S, xg[xa + 2]);
            c2_0 = b0.fma(a, c2_0);
            c2_1 = b1.fma(a, c2_1);
            c2_2 = b2.fma(a, c2_2);
            a = FloatVector.broadcast(S, xg[xa + 3]);
            c3_0 = b0.fma(a, c3_0);
            c3_1 = b1.fma(a, c3_1);
            c3_2 = b2.fma(a, c3_2);
            a = FloatVector.broadcast(S, xg[xa + 4]);
            c4_0 = b0.fma(a, c4_0);
            c4_1 = b1.fma(a, c4_1);
            c4_2 = b2.fma(a, c4_2);
            a = FloatVector.broadcast(S, xg[xa + 5]);
            c5_0 = b0.fma(a, c5_0);
            c5_1 = b1.fma(a, c5_1);
            c5_2 = b2.fma(a, c5_2);
            a = FloatVector.broadcast(S, xg[xa + 6]);
            c6_0 = b0.fma(a, c6_0);
            c6_1 = b1.fma(a, c6_1);
            c6_2 = b2.fma(a, c6_2);
            a = FloatVector.broadcast(S, xg[xa + 7]);
            c7_0 = b0.fma(a, c7_0);
            c7_1 = b1.fma(a, c7_1);
            c7_2 = b2.fma(a, c7_2);
        }
        c0_0.intoArray(tile, tOff + 0 * STRIPE + 0 * V);
        c0_1.intoArray(tile, tOff + 0 * STRIPE + 1 * V);
        c0_2.intoArray(tile, tOff + 0 * STRIPE + 2 * V);
        c1_0.intoArray(tile, tOff + 1 * STRIPE + 0 * V);
        c1_1.intoArray(tile, tOff + 1 * STRIPE + 1 * V);
        c1_2.intoArray(tile, tOff + 1 * STRIPE + 2 * V);
        c2_0.intoArray(tile, tOff + 2 * STRIPE + 0 * V);
        c2_1.intoArray(tile, tOff + 2 * STRIPE + 1 * V);
        c2_2.intoArray(tile, tOff + 2 * STRIPE + 2 * V);
        c3_0.intoArray(tile, tOff + 3 * STRIPE + 0 * V);
        c3_1.intoArray(tile, tOff + 3 * STRIPE + 1 * V);
        c3_2.intoArray(tile, tOff + 3 * STRIPE + 2 * V);
        c4_0.intoArray(tile, tOff + 4 * STRIPE + 0 * V);
        c4_1.intoArray(tile, tOff + 4 * STRIPE + 1 * V);
        c4_2.intoArray(tile, tOff + 4 * STRIPE + 2 * V);
        c5_0.intoArray(tile, tOff + 5 * STRIPE + 0 * V);
        c5_1.intoArray(tile, tOff + 5 * STRIPE + 1 * V);
        c5_2.intoArray(tile, tOff + 5 * STRIPE + 2 * V);
        c6_0.intoArray(tile, tOff + 6 * STRIPE + 0 * V);
        c6_1.intoArray(tile, tOff + 6 * STRIPE + 1 * V);
        c6_2.intoArray(tile, tOff + 6 * STRIPE + 2 * V);
        c7_0.intoArray(tile, tOff + 7 * STRIPE + 0 * V);
        c7_1.intoArray(tile, tOff + 7 * STRIPE + 1 * V);
        c7_2.intoArray(tile, tOff + 7 * STRIPE + 2 * V);
    }
}
