package io.parabench.jmh;

import io.parabench.kernels.GemmLayout;
import io.parabench.kernels.HostPool;
import io.parabench.kernels.KernelProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OpenBLAS binding {@link GemmBesideOpenBlasBenchmark} times: on JDK 17–21 it refuses with
 * the one line that says how to run it; on JDK 22+ it loads the core type it was asked for and
 * computes what parabench computes. CI ({@code CI=true}, which installs
 * {@code libopenblas0-pthread}) requires the library; elsewhere a machine without it skips.
 */
class OpenBlasTest {
    private static final Path DEBIAN_X86 = Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0");

    @Test
    void shouldSayWhichJdkItNeedsBeforeTwentyTwo() {
        assumeTrue(Runtime.version().feature() < 22, "JDK 22+ binds OpenBLAS: the other test runs");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OpenBlas.load(""));
        assertTrue(e.getMessage().startsWith("OpenBLAS is called through the foreign-function API, final in JDK 22;"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("run JMH with -jvm /path/to/jdk-22-or-later/bin/java"), e.getMessage());
    }

    @Test
    void shouldLoadTheAskedKernelAndAgreeWithParabench() {
        assumeTrue(Runtime.version().feature() >= 22, "the foreign-function API is final from JDK 22");
        boolean x86 = System.getProperty("os.arch").equals("amd64");
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(Files.isReadable(DEBIAN_X86) || !x86, "no OpenBLAS here: apt-get install -y libopenblas0-pthread");
        }
        OpenBlas blas = OpenBlas.load(x86 ? "Nehalem" : "");
        if (x86) {
            assertEquals("nehalem", blas.coreName().toLowerCase(java.util.Locale.ROOT), "OPENBLAS_CORETYPE set before loading");
        }
        int m = 5;
        int n = 37;
        int k = 70;
        Random rnd = new Random(3);
        float[] x = new float[m * k];
        float[] w = new float[n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() - 0.5f;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextFloat() - 0.5f;
        }
        float[] ours = new float[m * n];
        KernelProvider.get().gemm(HostPool.SERIAL, GemmLayout.FORWARD, m, n, k, x, w, ours, false);
        OpenBlas.NativeFloats y = blas.copyOf(new float[m * n]);
        blas.forward(1, m, n, k, blas.copyOf(x), blas.copyOf(w), y);
        float[] theirs = blas.toArray(y);
        for (int i = 0; i < ours.length; i++) {
            assertEquals(ours[i], theirs[i], 1e-5f * k, "Y[" + i / n + "][" + i % n + "]");
        }
    }
}
