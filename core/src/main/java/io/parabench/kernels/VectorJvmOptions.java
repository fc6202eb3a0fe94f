package io.parabench.kernels;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The JVM options every process that runs the Vector API kernels starts with, in one place: the
 * launcher ({@code ./parabench}), Surefire ({@code vector.module.args} in the parent pom), the
 * benchmark suite's host JVM ({@code jmh/pom.xml}; it calibrates the host with the kernels) and
 * every JMH fork ({@code @Fork(jvmArgsAppend = …)} and the suite runner use these constants).
 * {@link #warning} names what a process started some other way lacks; {@link VectorKernels}
 * logs it once.
 *
 * <p><b>Why the two C2 limits.</b> On JDK 17, C2 inlines the Vector API's methods late, so when
 * it parses a kernel it does not yet know the exact class of a vector (an accumulator is a
 * {@code FloatVector}, not a {@code Float512Vector}). It inlines {@code fma} and
 * {@code intoArray} on such a vector behind a class check taken from the profile, and falls
 * back to a virtual call only if it may not speculate there. Whether it may is decided per
 * compile from counters <em>summed over every inlined copy</em> of a method: trap counts against
 * {@code PerMethodTrapLimit} (100) and decompile counts against half of
 * {@code PerMethodRecompilationCutoff} (400). {@link PackedGemm}'s eight-row kernel inlines
 * about 1,100 methods. Four class-check traps recorded in {@code VectorOperators.opCode} (whose
 * profile mixes FMA with the other operators) and one in another inlined method add five for
 * each FMA, 100 by the 20th of its 24; one deoptimization of everything (as
 * {@code jcmd JFR.start} does) passes 201 decompiles halfway through the method. From there C2 compiles the remaining calls as
 * virtual calls, and their accumulators stay boxed through the loop: a {@code Float512Vector}
 * and its {@code float[16]} allocated per accumulator per step (20 kB of code against 2.8 kB;
 * JMH's {@code -XX:+LogCompilation} shows the {@code observe trap='class_check'} lines).
 * Decode (m = 8, two threads, n = k = 2048) then reads W 5–13× slower for the life of the
 * process.
 *
 * <p>Measured on the AMD EPYC Zen 5 (3 December 2026, JDK 17,
 * {@code GemmBenchmark.skinnyPackedFromMemory}, two threads, m = 8; a slow fork runs 290–370
 * operations a second, a product and a read each, against 800–1,400):
 * <ul>
 *   <li>JDK 17's limits: 3 of 20 forks slow from the start (with {@code -Xlog:gc}), and 3 of 10
 *       in two runs that started JFR seven seconds into each fork, after which 1 of the 7 fast
 *       forks went slow for good;</li>
 *   <li>the trap limit raised alone: 0 of 9 slow from the start, 7 of 9 slow after the JFR start;</li>
 *   <li>both raised: 0 of 20 slow from the start (with {@code -Xlog:gc}), 0 of 16 in the JFR runs,
 *       each of which recovered within three seconds of the JFR start.</li>
 * </ul>
 * JDK 25 forks did not fall into it with JDK 17's limits (0 of 12 with {@code -Xlog:gc}, 0 of 4
 * after a JFR start; session 18).
 */
public final class VectorJvmOptions {
    /**
     * Both limits' value: 100× JDK 17's trap limit and 25× its cutoff, so that the eight-row
     * kernel's sums (at most 120 traps; about 470 decompiles per deoptimization of everything)
     * stay far below them. The per-bytecode limits still stop a site that really keeps trapping.
     */
    static final long LIMIT = 10_000;
    /** The incubator module the Vector API kernels need (without it the scalar twin serves). */
    public static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";
    /** C2's per-compile limit on traps summed over inlined methods (JDK 17 default: 100). */
    public static final String TRAP_LIMIT = "-XX:PerMethodTrapLimit=" + LIMIT;
    /** C2's per-compile limit on decompiles summed over inlined methods, halved (JDK 17 default: 400). */
    public static final String RECOMPILATION_CUTOFF = "-XX:PerMethodRecompilationCutoff=" + LIMIT;

    /** The first JDK release measured not to need the limits raised. */
    static final int FIXED_IN = 25;

    private VectorJvmOptions() {
    }

    /**
     * What this process lacks, as one line for the log, or empty when its JDK or options are
     * safe (or it is not HotSpot, where the options do not exist).
     */
    public static Optional<String> warning() {
        if (Runtime.version().feature() >= FIXED_IN) {
            return Optional.empty(); // and no JMX: reading the options costs 25-45 ms at start-up
        }
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot == null ? Optional.empty()
                    : warning(Runtime.version().feature(), name -> Long.parseLong(hotspot.getVMOption(name).getValue()));
        } catch (IllegalArgumentException notHotSpot) { // no such MXBean or option
            return Optional.empty();
        }
    }

    /** {@link #warning()} for a JDK release and a way to read a VM option's value. */
    static Optional<String> warning(int jdk, ToLongFunction<String> option) {
        if (jdk >= FIXED_IN) {
            return Optional.empty();
        }
        boolean trapsLow = option.applyAsLong("PerMethodTrapLimit") < LIMIT;
        long cutoff = option.applyAsLong("PerMethodRecompilationCutoff");
        boolean cutoffLow = cutoff >= 0 && cutoff < LIMIT; // −1 means no cutoff
        if (!trapsLow && !cutoffLow) {
            return Optional.empty();
        }
        return Optional.of("JDK " + jdk + " without " + (trapsLow ? TRAP_LIMIT + (cutoffLow ? " " : "") : "")
                + (cutoffLow ? RECOMPILATION_CUTOFF : "") + ": C2 may compile the Vector API kernels with boxed"
                + " vectors (decode 5-13x slower until restart); ./parabench and the benchmarks pass them");
    }
}
