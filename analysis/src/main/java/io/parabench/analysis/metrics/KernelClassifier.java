package io.parabench.analysis.metrics;

import io.parabench.analysis.read.GpuEventKind;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Sorts GPU events into {@link KernelClass}es by kernel name <em>and</em> by stream.
 *
 * <p>Rules, in order: {@code gpu_memcpy}/{@code gpu_memset} events, and kernels named
 * {@code Memcpy…}/{@code Memset…}, are {@link KernelClass#MEMORY}; a kernel whose name matches
 * the communication pattern (searched anywhere in the name) or that runs on one of the
 * communication streams is {@link KernelClass#COMMUNICATION}; every other kernel is
 * {@link KernelClass#COMPUTATION}.
 *
 * <p>The default pattern, {@link #DEFAULT_COMM_PATTERN}, recognises NCCL under every naming it
 * has had ({@code ncclAllReduceRingLLKernel…}, {@code ncclKernel_…}, {@code ncclDevKernel_…})
 * and DeepEP's all-to-all in both its public ({@code deep_ep::}) and DeepSeek-internal
 * ({@code dpsk::ep::}) namespaces, and requires a non-identifier character (or the start) before
 * the match, so CUB's {@code cdpsk::ep::} is not communication. Holistic Trace Analysis only
 * matches {@code ^nccl}, which finds no communication in DeepSeek's traces.
 *
 * <p>{@link #hta()} is Holistic Trace Analysis v0.6.0's classifier instead, so that every figure
 * can be compared with HTA's one for one: by name only, with HTA's regexes applied as Python's
 * {@code re.match} does (anchored at the start, {@link java.util.regex.Matcher#lookingAt()}),
 * in HTA's order — communication {@value #HTA_COMM}, else memory {@value #HTA_MEMORY}, else
 * computation unless the name matches {@value #HTA_NOT_COMPUTE}, else {@link KernelClass#OTHER}
 * ({@code hta/common/types.py}, {@code hta/utils/utils.py:get_kernel_type}).
 *
 * <p>Immutable and thread-safe.
 */
public final class KernelClassifier implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Default communication pattern (Java regex, found anywhere in the kernel name). */
    public static final String DEFAULT_COMM_PATTERN = "(?:^|[^A-Za-z0-9_])(?:nccl|dpsk::ep::|deep_ep::)";
    /** HTA's {@code CommunicateKernelGroupingPattern}. */
    static final String HTA_COMM = "(^nccl.*)|(^hip)|(^hccl)|(.*ncclKernel.*)";
    /** HTA's {@code MemoryKernelGroupingPattern}. */
    static final String HTA_MEMORY = "(^(hip)?Memcpy)|(^(hip)?Memset)|(^dma)";
    /** HTA's {@code ComputeKernelGroupingPattern}, which HTA applies inverted. */
    static final String HTA_NOT_COMPUTE = "(^nccl)|(.*Memcpy)|(.*Memset)|(.*dma)|(^.*Sync)|(^Stream Wait Event)"
            + "|(cuda.*LaunchKernel)|(^runFunction)|(^hip)|(^job_exe)|(^packet)|(^pe_exe)|(^cpum_exe_subgraph)"
            + "|(^hccl)|(^collective_subgraph_execution)";
    private static final Pattern MEMORY_KERNEL = Pattern.compile("^(?i:memcpy|memset)");

    private final Pattern commPattern;
    private final Set<Integer> commStreams;
    private final boolean hta;
    private final Pattern htaComm;
    private final Pattern htaMemory;
    private final Pattern htaNotCompute;

    private KernelClassifier(Pattern commPattern, Set<Integer> commStreams, boolean hta) {
        this.commPattern = commPattern;
        this.commStreams = commStreams;
        this.hta = hta;
        this.htaComm = hta ? Pattern.compile(HTA_COMM) : null;
        this.htaMemory = hta ? Pattern.compile(HTA_MEMORY) : null;
        this.htaNotCompute = hta ? Pattern.compile(HTA_NOT_COMPUTE) : null;
    }

    /** Holistic Trace Analysis's classifier, by name only (see the class comment). */
    public static KernelClassifier hta() {
        return new KernelClassifier(Pattern.compile(HTA_COMM), Set.of(), true);
    }

    /** Whether this is {@link #hta()}. */
    public boolean isHta() {
        return hta;
    }

    /** The defaults: {@link #DEFAULT_COMM_PATTERN}, no communication streams. */
    public static KernelClassifier defaults() {
        return new KernelClassifier(Pattern.compile(DEFAULT_COMM_PATTERN), Set.of(), false);
    }

    /**
     * A classifier with another name pattern and/or communication streams.
     *
     * @param commRegex   Java regex searched in kernel names, or null for the default
     * @param commStreams streams whose kernels are all communication (may be empty)
     * @throws IllegalArgumentException when the regex does not compile or a stream is negative
     */
    public static KernelClassifier of(String commRegex, Set<Integer> commStreams) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(commRegex == null ? DEFAULT_COMM_PATTERN : commRegex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--comm-pattern (" + commRegex + ") must be a valid Java regex: "
                    + e.getDescription(), e);
        }
        for (int s : commStreams) {
            if (s < 0) {
                throw new IllegalArgumentException("--comm-stream (" + s + ") must be >= 0");
            }
        }
        return new KernelClassifier(pattern, Set.copyOf(new TreeSet<>(commStreams)), false);
    }

    /** The class of a kernel from its name alone (memory or communication by name, else computation). */
    public KernelClass classifyName(String name) {
        if (hta) {
            if (htaComm.matcher(name).lookingAt()) {
                return KernelClass.COMMUNICATION;
            }
            if (htaMemory.matcher(name).lookingAt()) {
                return KernelClass.MEMORY;
            }
            return htaNotCompute.matcher(name).lookingAt() ? KernelClass.OTHER : KernelClass.COMPUTATION;
        }
        if (MEMORY_KERNEL.matcher(name).find()) {
            return KernelClass.MEMORY;
        }
        return commPattern.matcher(name).find() ? KernelClass.COMMUNICATION : KernelClass.COMPUTATION;
    }

    /** The class of a GPU event. */
    public KernelClass classify(GpuEventKind kind, String name, int stream) {
        if (hta) {
            return classifyName(name);
        }
        if (kind != GpuEventKind.KERNEL) {
            return KernelClass.MEMORY;
        }
        KernelClass byName = classifyName(name);
        if (byName == KernelClass.COMPUTATION && commStreams.contains(stream)) {
            return KernelClass.COMMUNICATION;
        }
        return byName;
    }

    /** Whether stream {@code s} is configured as a communication stream. */
    boolean isCommStream(int s) {
        return commStreams.contains(s);
    }

    /** The communication pattern in use. */
    public String commPattern() {
        return commPattern.pattern();
    }

    /** The communication streams in use, ascending. */
    public Set<Integer> commStreams() {
        return new TreeSet<>(commStreams);
    }
}
