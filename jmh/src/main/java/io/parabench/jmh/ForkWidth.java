package io.parabench.jmh;

import io.parabench.kernels.KernelProvider;
import jdk.incubator.vector.FloatVector;

import java.util.Locale;
import java.util.Set;

/**
 * The vector width a benchmark fork was started for ({@code -XX:MaxVectorSize}, {@code -XX:UseAVX}
 * in its {@code @Fork}), checked against what the JVM really gave it, and the OpenBLAS kernel of
 * the width a fork runs, for benchmarks that time OpenBLAS beside parabench.
 *
 * <p>Why a check: the suite runner's {@code jvmArgsAppend} replaces a {@code @Fork}'s, so a width
 * put there was once silently dropped and the "256-bit" fork ran 512-bit vectors.
 */
enum ForkWidth {
    /** The host's own width. */
    NATIVE(Integer.MAX_VALUE, 0),
    /** {@code -XX:MaxVectorSize=32}: 256-bit vectors, the register file the host has. */
    BITS_256(256, 0),
    /** {@code -XX:UseAVX=2}: 256-bit vectors and x86's 16 vector registers, as an AVX2 host runs. */
    AVX2(256, 16),
    /** {@code -XX:MaxVectorSize=16}: 128-bit vectors, as SSE or NEON. */
    BITS_128(128, 0);

    private static final Set<String> X86 = Set.of("amd64", "x86_64");

    private final int maxBits;
    private final int registers;

    ForkWidth(int maxBits, int registers) {
        this.maxBits = maxBits;
        this.registers = registers;
    }

    /** Throws if this fork's vectors are wider, or its register file other, than it was started for. */
    void check() {
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits > maxBits) {
            throw new IllegalStateException("fork meant for " + maxBits + "-bit vectors runs " + bits + "-bit ones");
        }
        int actual = KernelProvider.vectorRegisters();
        if (registers != 0 && actual != registers) {
            throw new IllegalStateException("fork meant for " + registers + " vector registers has " + actual);
        }
    }

    /**
     * {@code OPENBLAS_CORETYPE} for OpenBLAS's x86 kernel of the width this JVM's vectors have:
     * SkylakeX (AVX-512), Haswell (AVX2), Nehalem (SSE); empty, OpenBLAS's own pick, elsewhere.
     * Chosen rather than left to OpenBLAS because 0.3.21 does not know every CPU: on a Zen 5 it
     * falls back to Haswell, half its AVX-512 kernel's 205 GFLOP/s there.
     */
    static String openBlasCoreType() {
        if (!X86.contains(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT))) {
            return "";
        }
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return bits >= 512 ? "SkylakeX" : bits == 256 ? "Haswell" : "Nehalem";
    }
}
