package io.parabench.analysis.metrics;

import io.parabench.analysis.read.GpuEventKind;
import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.NameTable;
import io.parabench.analysis.read.RuntimeCalls;
import io.parabench.analysis.read.Trace;

import java.util.Arrays;

/**
 * One trace prepared for per-device analysis: every distinct name classified once (the regex
 * is the costly part: 2 M distinct names over 64 devices used to be classified 64 times), the
 * GPU events grouped by device once, and the runtime calls indexed by correlation id. Each
 * {@link #device(int)} view is then built in O(m log m) for the m events of that device, so a
 * whole trace costs O(n log n) however many devices, streams or names it has.
 *
 * <p>Thread-safe: the views are built per call, and the correlation index, built on first use,
 * is published whole (two threads may both build it; neither sees half of it), so the analyses
 * of one device can run on two cores ({@link ForkedResult}).
 */
public final class TraceDevices {
    /** {@code values()} copies the array at each call: once per event here. */
    private static final KernelClass[] CLASSES = KernelClass.values();
    private final Trace trace;
    private final AnalysisOptions options;
    private final byte[] nameClass;
    private final Buckets byDevice;
    private volatile CorrelationIndex runtimeIndex;
    /** {@link #namesIn} per constant set; concurrent: the analyses of one device may run on two threads. */
    private final java.util.Map<java.util.Set<String>, boolean[]> nameSets = new java.util.concurrent.ConcurrentHashMap<>(4);

    /** Runtime calls in correlation order: {@code calls[k]} has correlation id {@code correlations[k]}. */
    private record CorrelationIndex(long[] correlations, int[] calls) {
    }

    private TraceDevices(Trace trace, AnalysisOptions options) {
        this.trace = trace;
        this.options = options;
        this.nameClass = nameClasses(trace.names(), options.classifier());
        GpuEvents e = trace.gpuEvents();
        this.byDevice = Buckets.of(e.size(), e::device);
    }

    public static TraceDevices of(Trace trace, AnalysisOptions options) {
        return new TraceDevices(trace, options);
    }

    /** Name-based class of every name, computed once per distinct name. */
    static byte[] nameClasses(NameTable names, KernelClassifier classifier) {
        byte[] out = new byte[names.size()];
        for (int id = 0; id < names.size(); id++) {
            out[id] = (byte) classifier.classifyName(names.name(id)).ordinal();
        }
        return out;
    }

    public Trace trace() {
        return trace;
    }

    public AnalysisOptions options() {
        return options;
    }

    /** Device ids with GPU events, ascending. */
    public int[] devices() {
        int[] out = new int[byDevice.size()];
        for (int b = 0; b < out.length; b++) {
            out[b] = byDevice.key(b);
        }
        return out;
    }

    /** Whether {@code device} has GPU events. */
    public boolean hasDevice(int device) {
        return byDevice.find(device) >= 0;
    }

    /** Indices of the GPU events on any of {@code devices}, device by device, each in file order. */
    public int[] eventsOf(java.util.Collection<Integer> devices) {
        int total = 0;
        for (int d : devices) {
            int b = byDevice.find(d);
            total += b < 0 ? 0 : byDevice.count(b);
        }
        int[] out = new int[total];
        int at = 0;
        for (int d : new java.util.TreeSet<>(devices)) {
            int b = byDevice.find(d);
            if (b >= 0) {
                int[] p = byDevice.positions(b);
                System.arraycopy(p, 0, out, at, p.length);
                at += p.length;
            }
        }
        return out;
    }

    /** Class of GPU event {@code i} of the trace. */
    public KernelClass classOf(int i) {
        return CLASSES[classOrdinal(i)];
    }

    int classOrdinal(int i) {
        GpuEvents e = trace.gpuEvents();
        KernelClassifier c = options.classifier();
        int byName = nameClass[e.nameId(i)];
        if (c.isHta()) {
            return byName;
        }
        if (e.kind(i) != GpuEventKind.KERNEL) {
            return KernelClass.MEMORY.ordinal();
        }
        if (byName == KernelClass.COMPUTATION.ordinal() && c.isCommStream(e.stream(i))) {
            return KernelClass.COMMUNICATION.ordinal();
        }
        return byName;
    }

    /** The events of one device in start order, on the options' time base. */
    public DeviceEvents device(int device) {
        int b = byDevice.find(device);
        if (b < 0) {
            throw new IllegalArgumentException("device (" + device + ") has no GPU events in " + trace.source());
        }
        GpuEvents e = trace.gpuEvents();
        TimeBase time = options.timeBase();
        int[] idx = byDevice.positions(b);
        long[] start = new long[idx.length];
        for (int k = 0; k < idx.length; k++) {
            start[k] = time.startNs(e.startNs(idx[k]));
        }
        int[] order = StartOrder.sort(start);
        int[] sortedIdx = new int[idx.length];
        long[] s = new long[idx.length];
        long[] en = new long[idx.length];
        byte[] cls = new byte[idx.length];
        for (int k = 0; k < idx.length; k++) {
            int i = idx[order[k]];
            sortedIdx[k] = i;
            s[k] = start[order[k]];
            en[k] = time.endNs(e.startNs(i), e.endNs(i) - e.startNs(i));
            cls[k] = (byte) classOrdinal(i);
        }
        return new DeviceEvents(this, device, sortedIdx, s, en, cls);
    }

    /**
     * Which name ids are in {@code names}, a constant set of call names (HTA's launch calls):
     * looked up once per trace and set, not once per device (a trace of 100 000 devices spent a
     * tenth of its analysis asking the name table the same four names).
     */
    boolean[] namesIn(java.util.Set<String> names) {
        return nameSets.computeIfAbsent(names, n -> LaunchStats.launchNames(trace.names(), n));
    }

    /**
     * The runtime call (index into {@link Trace#runtimeCalls()}) that launched GPU work with
     * this correlation id, or -1: the first in file order when several share it.
     */
    public int runtimeCallOf(long correlation) {
        CorrelationIndex index = runtimeIndex;
        if (index == null) {
            index = indexRuntimeCalls();
            runtimeIndex = index;
        }
        long[] correlations = index.correlations();
        int k = Arrays.binarySearch(correlations, correlation);
        if (k < 0) {
            return -1;
        }
        while (k > 0 && correlations[k - 1] == correlation) {
            k--;
        }
        return index.calls()[k];
    }

    private CorrelationIndex indexRuntimeCalls() {
        RuntimeCalls calls = trace.runtimeCalls();
        int n = calls.size();
        long[] keys = new long[n];
        for (int c = 0; c < n; c++) {
            keys[c] = calls.correlation(c);
        }
        int[] order = StartOrder.sort(keys);
        long[] correlations = new long[n];
        for (int k = 0; k < n; k++) {
            correlations[k] = keys[order[k]];
        }
        return new CorrelationIndex(correlations, order);
    }
}
