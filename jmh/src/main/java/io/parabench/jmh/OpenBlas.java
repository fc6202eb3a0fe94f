package io.parabench.jmh;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * OpenBLAS's {@code cblas_sgemm} called in-process through the foreign-function API, so a
 * benchmark can time it beside parabench's GEMM in the same fork and the same seconds
 * ({@link GemmBesideOpenBlasBenchmark}, and {@code jmh/src/test/scripts/OpenBlasDuel.java}, hence
 * public).
 *
 * <p>Why reflection: the API is final only from JDK 22, and this module is compiled for 17, where
 * {@code java.lang.foreign} does not exist. Every FFM class and method is looked up once, in
 * {@link #load}; the per-call path is two {@link MethodHandle#invokeExact} calls whose segment
 * parameters were widened to {@code Object}, so a 1024³ call pays nanoseconds for it against
 * milliseconds of work.
 *
 * <p>The library is Debian's {@code libopenblas0-pthread} unless {@code -Dopenblas=PATH} names
 * another. OpenBLAS picks its kernel ("core type") when the library loads, from the environment
 * variable {@code OPENBLAS_CORETYPE}; {@link #load} sets that variable in this process first
 * (libc {@code setenv}) when asked for a core type, so a JMH fork can choose it without the
 * parent's environment. It cannot change once the library is loaded: one core type per process.
 *
 * <p>Errors: {@link #load} throws {@link IllegalStateException} with one line saying what is
 * missing and how to get it (a JDK older than 22, no library). Not thread safe: one benchmark
 * thread calls it.
 */
public final class OpenBlas {
    private static final String PROPERTY = "openblas";
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private final MethodHandle sgemm;
    private final MethodHandle setThreads;
    private final String coreName;
    private final Ffm ffm;

    private OpenBlas(MethodHandle sgemm, MethodHandle setThreads, String coreName, Ffm ffm) {
        this.sgemm = sgemm;
        this.setThreads = setThreads;
        this.coreName = coreName;
        this.ffm = ffm;
    }

    /**
     * Loads OpenBLAS, first setting {@code OPENBLAS_CORETYPE} to {@code coreType} unless that is
     * empty (then the variable the process has, or OpenBLAS's own pick, holds).
     */
    public static OpenBlas load(String coreType) {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            throw new IllegalStateException("OpenBLAS is called through the foreign-function API, final in JDK 22; this"
                    + " JVM is " + Runtime.version() + ": run JMH with -jvm /path/to/jdk-22-or-later/bin/java");
        }
        Path library = library();
        try {
            Ffm ffm = new Ffm();
            if (!coreType.isEmpty()) {
                MethodHandle setenv = ffm.downcall(ffm.defaultSymbol("setenv"), "JAVA_INT",
                        "ADDRESS", "ADDRESS", "JAVA_INT");
                int rc = (int) setenv.invokeExact(ffm.cString("OPENBLAS_CORETYPE"), ffm.cString(coreType), 1);
                if (rc != 0) {
                    throw new IllegalStateException("setenv(OPENBLAS_CORETYPE=" + coreType + ") failed: " + rc);
                }
            }
            Object lookup = ffm.libraryLookup(library);
            MethodHandle sgemm = ffm.downcall(ffm.find(lookup, "cblas_sgemm"), null,
                    "JAVA_INT", "JAVA_INT", "JAVA_INT", "JAVA_INT", "JAVA_INT", "JAVA_INT", "JAVA_FLOAT",
                    "ADDRESS", "JAVA_INT", "ADDRESS", "JAVA_INT", "JAVA_FLOAT", "ADDRESS", "JAVA_INT");
            MethodHandle setThreads = ffm.downcall(ffm.find(lookup, "openblas_set_num_threads"), null, "JAVA_INT");
            MethodHandle corename = ffm.downcall(ffm.find(lookup, "openblas_get_corename"), "ADDRESS");
            Object nameAddress = (Object) corename.invokeExact();
            String name = ffm.string(nameAddress);
            return new OpenBlas(sgemm, setThreads, name, ffm);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot bind OpenBLAS (" + library + "): " + e, e);
        }
    }

    /** The kernel OpenBLAS chose, e.g. {@code haswell} or {@code cooperlake}. */
    public String coreName() {
        return coreName;
    }

    /** A copy of {@code values} in native memory, 64-byte aligned, freed when unreachable. */
    public NativeFloats copyOf(float[] values) {
        return new NativeFloats(ffm.copyOf(values), values.length);
    }

    /** {@code y[m×n] = x[m×k] · w[n×k]ᵀ}, row-major, on {@code threads} OpenBLAS threads. */
    public void forward(int threads, int m, int n, int k, NativeFloats x, NativeFloats w, NativeFloats y) {
        try {
            setThreads.invokeExact(threads);
            sgemm.invokeExact(ROW_MAJOR, NO_TRANS, TRANS, m, n, k, 1f, x.segment, k, w.segment, k, 0f, y.segment, n);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed: " + e, e);
        }
    }

    /** The values of a native array, read back onto the heap. */
    public float[] toArray(NativeFloats values) {
        return ffm.toArray(values.segment, values.length);
    }

    /** A float array in native memory (a {@code MemorySegment} seen as an {@code Object}). */
    public static final class NativeFloats {
        final Object segment;
        final int length;

        private NativeFloats(Object segment, int length) {
            this.segment = segment;
            this.length = length;
        }
    }

    /** The library's path: {@code -Dopenblas}, else Debian's pthread build for this architecture. */
    private static Path library() {
        String named = System.getProperty(PROPERTY);
        List<Path> candidates = new ArrayList<>();
        if (named != null) {
            candidates.add(Path.of(named));
        } else {
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            String triplet = arch.equals("aarch64") ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
            candidates.add(Path.of("/usr/lib", triplet, "openblas-pthread", "libopenblas.so.0"));
            candidates.add(Path.of("/usr/lib", triplet, "libopenblas.so.0"));
        }
        for (Path p : candidates) {
            if (Files.isReadable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("OpenBLAS library not found (tried " + candidates
                + "): apt-get install -y libopenblas0-pthread, or -D" + PROPERTY + "=PATH");
    }

    /**
     * The few {@code java.lang.foreign} calls this class makes, looked up by name. Segments are
     * typed {@code Object} here and in every handle this returns.
     */
    private static final class Ffm {
        private final Class<?> memorySegment = Class.forName("java.lang.foreign.MemorySegment");
        private final Class<?> memoryLayout = Class.forName("java.lang.foreign.MemoryLayout");
        private final Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
        private final Class<?> functionDescriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
        private final Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
        private final Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        private final Class<?> linkerOption = Class.forName("java.lang.foreign.Linker$Option");
        private final Class<?> symbolLookup = Class.forName("java.lang.foreign.SymbolLookup");
        private final Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
        /** Native copies live until the JVM exits or drops them; a benchmark makes a handful. */
        private final Object arena = arenaClass.getMethod("ofAuto").invoke(null);
        private final Object floatLayout = valueLayout.getField("JAVA_FLOAT").get(null);

        Ffm() throws ReflectiveOperationException {
        }

        Object defaultSymbol(String name) throws ReflectiveOperationException {
            Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
            return find(lookup, name);
        }

        Object libraryLookup(Path library) throws ReflectiveOperationException {
            Object global = arenaClass.getMethod("global").invoke(null);
            return symbolLookup.getMethod("libraryLookup", Path.class, arenaClass).invoke(null, library, global);
        }

        Object find(Object lookup, String name) throws ReflectiveOperationException {
            // Through the interface: the lookup's own class is hidden, so its methods are not accessible.
            Optional<?> symbol = (Optional<?>) symbolLookup.getMethod("find", String.class).invoke(lookup, name);
            return symbol.orElseThrow(() -> new IllegalStateException("OpenBLAS has no symbol " + name));
        }

        /**
         * A downcall handle for the function at {@code symbol}: {@code result} is the returned
         * layout's {@code ValueLayout} field name (null for void), {@code arguments} the
         * parameters'. {@code ADDRESS} parameters and results are widened to {@code Object}.
         */
        MethodHandle downcall(Object symbol, String result, String... arguments) throws ReflectiveOperationException {
            Object layouts = Array.newInstance(memoryLayout, arguments.length);
            for (int i = 0; i < arguments.length; i++) {
                Array.set(layouts, i, valueLayout.getField(arguments[i]).get(null));
            }
            Object descriptor = result == null
                    ? functionDescriptor.getMethod("ofVoid", layouts.getClass()).invoke(null, layouts)
                    : functionDescriptor.getMethod("of", memoryLayout, layouts.getClass())
                    .invoke(null, valueLayout.getField(result).get(null), layouts);
            Object options = Array.newInstance(linkerOption, 0);
            MethodHandle handle = (MethodHandle) linkerClass
                    .getMethod("downcallHandle", memorySegment, functionDescriptor, options.getClass())
                    .invoke(linker, symbol, descriptor, options);
            MethodType erased = handle.type();
            for (int i = 0; i < erased.parameterCount(); i++) {
                if (erased.parameterType(i) == memorySegment) {
                    erased = erased.changeParameterType(i, Object.class);
                }
            }
            if (erased.returnType() == memorySegment) {
                erased = erased.changeReturnType(Object.class);
            }
            return handle.asType(erased);
        }

        Object cString(String s) throws ReflectiveOperationException {
            return arenaClass.getMethod("allocateFrom", String.class).invoke(arena, s);
        }

        /** The NUL-terminated string at a returned address (reinterpreted to 256 bytes at most). */
        String string(Object address) throws ReflectiveOperationException {
            Object bounded = memorySegment.getMethod("reinterpret", long.class).invoke(address, 256L);
            return (String) memorySegment.getMethod("getString", long.class).invoke(bounded, 0L);
        }

        Object copyOf(float[] values) {
            try {
                Object segment = arenaClass.getMethod("allocate", long.class, long.class)
                        .invoke(arena, 4L * values.length, 64L);
                memorySegment.getMethod("copy", Object.class, int.class, memorySegment, valueLayout, long.class, int.class)
                        .invoke(null, values, 0, segment, floatLayout, 0L, values.length);
                return segment;
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("cannot copy " + values.length + " floats to native memory: "
                        + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot copy floats to native memory: " + e, e);
            }
        }

        float[] toArray(Object segment, int length) {
            float[] out = new float[length];
            try {
                memorySegment.getMethod("copy", memorySegment, valueLayout, long.class, Object.class, int.class, int.class)
                        .invoke(null, segment, floatLayout, 0L, out, 0, length);
                return out;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + length + " floats from native memory: " + e, e);
            }
        }
    }
}
