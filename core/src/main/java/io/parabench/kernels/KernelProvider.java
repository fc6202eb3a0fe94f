package io.parabench.kernels;

import java.util.logging.Logger;

/**
 * Chooses, once per process, which {@link Kernels} twin serves: the Vector API one when the
 * {@code jdk.incubator.vector} module is readable, otherwise the scalar one after a single
 * warning (after Lucene's {@code VectorizationProvider}).
 *
 * <p>The choice is made on first use and never changes, so every kernel in a process uses the
 * same vector width (see {@link VectorKernels} for why that matters).
 */
public final class KernelProvider {
    private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());

    private KernelProvider() {
    }

    /** The kernels of this process: the vector twin if available, else the scalar twin. */
    public static Kernels get() {
        return Holder.INSTANCE;
    }

    /** The scalar twin, for references and comparisons. */
    public static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** True when {@link #get()} is the Vector API twin. */
    public static boolean isVectorized() {
        return Holder.INSTANCE != ScalarKernels.INSTANCE;
    }

    /** Bits of the vectors the kernels of this process use; 0 when the scalar twin serves. */
    public static int vectorBitSize() {
        return isVectorized() ? VectorKernels.bits() : 0;
    }

    /**
     * Vector registers the GEMM tile of this process was chosen for (16 with AVX2, 32 with
     * AVX-512 or on AArch64); 0 when the scalar twin serves.
     */
    public static int vectorRegisters() {
        return isVectorized() ? GemmTiling.vectorRegisters() : 0;
    }

    /**
     * One line on the kernels of this process: the vector width, lanes, register file and GEMM
     * tile (what the vector twin logs once when it loads), or why the scalar twin serves.
     */
    public static String describe() {
        return isVectorized() ? VectorKernels.describe() : "scalar (jdk.incubator.vector not readable)";
    }

    private static final class Holder {
        static final Kernels INSTANCE = choose();
    }

    private static Kernels choose() {
        boolean readable = ModuleLayer.boot().findModule("jdk.incubator.vector")
                .map(m -> KernelProvider.class.getModule().canRead(m))
                .orElse(false);
        if (!readable) {
            LOG.warning("Java vector incubator module is not readable; using scalar kernels. "
                    + "For vectorized kernels pass '--add-modules jdk.incubator.vector' to java.");
            return ScalarKernels.INSTANCE;
        }
        try {
            return (Kernels) Class.forName("io.parabench.kernels.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warning("Vector API kernels failed to load (" + e + "); using scalar kernels.");
            return ScalarKernels.INSTANCE;
        }
    }
}
