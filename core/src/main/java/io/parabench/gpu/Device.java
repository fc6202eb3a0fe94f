package io.parabench.gpu;

import io.parabench.kernels.HostPool;
import io.parabench.kernels.KernelProvider;
import io.parabench.kernels.Kernels;
import io.parabench.trace.ChromeTraceWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * One emulated GPU: a {@link DeviceSpec}, memory with current and peak accounting, and streams
 * that each hold a grant of the device's SMs (or share the unreserved ones). Kernels really
 * compute, on the host threads of a {@link HostPool}, unless the {@link Emulation} is timing-only;
 * their times come from the spec's clock on a virtual clock, so the timeline is the same for any
 * host, load or thread count, and the same whether or not the numerics ran.
 *
 * <p><b>Clock.</b> A spec without a calibration is timed by the {@link RooflineCostModel}: a
 * kernel starts when its stream is ready and lasts its roofline time. A calibrated spec is timed
 * by the {@link CalibratedClock}, and the device adds what the real GPU does around kernels:
 * <ul>
 *   <li><b>Launches.</b> The host issues one kernel or copy per eager (or graph) launch time, in
 *       issue order over all streams; work starts no earlier than it was issued, and no earlier
 *       than the stream's previous work plus the device-side kernel gap.</li>
 *   <li><b>Contention.</b> Work placed on one stream shares the device with what other streams
 *       already placed: HBM bandwidth, NVLink and network bandwidth out of the device, copy
 *       engines, and the unreserved SMs among {@link #sharedStream() shared streams}. While others
 *       hold shares {@code u} of a resource, new work that needs share {@code d} of it runs at
 *       {@code min(1, (1 − u) ÷ d)} of its speed (the slowest resource decides), so a GEMM holding
 *       every SM makes a kernel issued beside it wait, and two HBM-bound kernels take turns. Work is
 *       placed in issue order and never moved afterwards (traces are written as work is issued),
 *       so the later of two concurrent kernels takes the slowdown: issue order decides who waits,
 *       as it does for the block scheduler when one kernel fills the GPU.</li>
 *   <li><b>Held SMs.</b> A communication kernel placed at a known window ({@link Stream#commKernel})
 *       holds its SMs whatever the streams' grants; a kernel placed beside it runs on the SMs left,
 *       at the speed the clock gives for that many SMs (its waves on fewer SMs), not at a share.</li>
 * </ul>
 *
 * <p>When given a trace writer, the device names itself {@code "GPU <id>"} and each stream
 * {@code "stream <id>"} ({@code M} events, pid = device id, tid = stream id) and writes every
 * kernel, copy and annotation as it is issued. Several devices may share one writer (one trace
 * with a pid per GPU) or have one each (a trace per rank); the writer's header must list
 * {@link DeviceSpec#properties(int)} of the devices it holds.
 *
 * <p>Not thread-safe: drive a device, its streams and the writer from one thread (the numerics
 * inside a kernel fan out to the pool).
 */
public final class Device {
    private final int id;
    private final DeviceSpec spec;
    private final HostPool pool;
    private final Kernels kernels;
    private final ChromeTraceWriter trace;
    private final Emulation emulation;
    private final List<Stream> streams = new ArrayList<>();
    private int grantedSms;
    private long hostNs;
    private long allocatedBytes;
    private long peakBytes;

    /**
     * @param id    device id (the trace's pid), >= 0
     * @param spec  what the cost model knows about the device
     * @param pool  host threads the numerics run on
     * @param trace where events go, or null to keep no trace
     */
    public Device(int id, DeviceSpec spec, HostPool pool, ChromeTraceWriter trace) {
        this(id, spec, pool, trace, Emulation.NUMERICS);
    }

    /**
     * @param id        device id (the trace's pid), >= 0
     * @param spec      what the clock knows about the device
     * @param pool      host threads the numerics run on
     * @param trace     where events go, or null to keep no trace
     * @param emulation charged precision, timing-only or not, launch mode
     */
    public Device(int id, DeviceSpec spec, HostPool pool, ChromeTraceWriter trace, Emulation emulation) {
        if (id < 0) {
            throw new IllegalArgumentException("device id (" + id + ") must be >= 0");
        }
        if (spec == null || pool == null || emulation == null) {
            throw new IllegalArgumentException("device spec, host pool and emulation must not be null");
        }
        this.id = id;
        this.emulation = emulation;
        this.spec = spec;
        this.pool = pool;
        this.kernels = KernelProvider.get();
        this.trace = trace;
        if (trace != null) {
            trace.processName(id, "GPU " + id);
        }
    }

    public int id() {
        return id;
    }

    public DeviceSpec spec() {
        return spec;
    }

    public Emulation emulation() {
        return emulation;
    }

    /** True when kernels only advance the clock (no numerics, tensors hold no data). */
    public boolean timingOnly() {
        return emulation.timingOnly();
    }

    HostPool pool() {
        return pool;
    }

    Kernels kernels() {
        return kernels;
    }

    ChromeTraceWriter trace() {
        return trace;
    }

    /**
     * A new stream granted {@code sms} SMs, numbered from 0 in creation order. Grants are
     * reservations: their sum may not exceed the device's SMs. A stream with 0 SMs can only
     * copy (RDMA-style transfers through copy engines).
     *
     * @throws IllegalArgumentException if sms is negative or more than the SMs not yet granted
     */
    public Stream stream(int sms) {
        int free = spec.numSms() - grantedSms;
        if (sms < 0 || sms > free) {
            throw new IllegalArgumentException("stream SMs (" + sms + ") must be in 0.." + free
                    + " (" + grantedSms + " of " + spec.numSms() + " SMs of device " + id + " already granted)");
        }
        Stream stream = new Stream(this, streams.size(), sms, false);
        streams.add(stream);
        grantedSms += sms;
        if (trace != null) {
            trace.threadName(id, stream.id(), "stream " + stream.id());
        }
        return stream;
    }

    /**
     * A new stream over the SMs no stream has reserved (all of them if none), shared with every
     * other shared stream: kernels on two shared streams at once contend for those SMs, as two
     * PyTorch streams do. Reserve SMs with {@link #stream(int)} before creating shared streams.
     *
     * @throws IllegalArgumentException if every SM is reserved
     */
    public Stream sharedStream() {
        int free = spec.numSms() - grantedSms;
        if (free < 1) {
            throw new IllegalArgumentException("shared stream needs unreserved SMs, but all " + spec.numSms()
                    + " SMs of device " + id + " are granted");
        }
        Stream stream = new Stream(this, streams.size(), free, true);
        streams.add(stream);
        if (trace != null) {
            trace.threadName(id, stream.id(), "stream " + stream.id());
        }
        return stream;
    }

    /** SMs granted to streams so far. */
    public int grantedSms() {
        return grantedSms;
    }

    /**
     * Allocates a zeroed rows×cols FP32 tensor in device memory.
     *
     * @throws IllegalArgumentException if a dimension is negative or the product exceeds 2³¹−1
     * @throws IllegalStateException    if the device's memory would be exceeded
     */
    public Tensor allocate(String name, int rows, int cols) {
        if (rows < 0 || cols < 0 || (long) rows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor " + name + " shape (" + rows + "×" + cols
                    + ") must be non-negative with at most 2^31-1 elements");
        }
        long bytes = 4L * rows * cols;
        if (allocatedBytes + bytes > spec.memoryBytes()) {
            throw new IllegalStateException("device " + id + " out of memory: allocating " + name + " (" + bytes
                    + " bytes) with " + allocatedBytes + " of " + spec.memoryBytes() + " bytes in use");
        }
        Tensor tensor = new Tensor(this, name, rows, cols, !emulation.timingOnly());
        allocatedBytes += bytes;
        peakBytes = Math.max(peakBytes, allocatedBytes);
        return tensor;
    }

    /** Gives a tensor's memory back. Freeing twice or on the wrong device is an error. */
    public void free(Tensor tensor) {
        if (tensor.device() != this) {
            throw new IllegalArgumentException("tensor " + tensor + " does not belong to device " + id);
        }
        if (tensor.freed()) {
            throw new IllegalStateException("tensor " + tensor + " was already freed");
        }
        tensor.markFreed();
        allocatedBytes -= tensor.bytes();
    }

    /** Bytes allocated now. */
    public long allocatedBytes() {
        return allocatedBytes;
    }

    /** Most bytes ever allocated at once. */
    public long peakBytes() {
        return peakBytes;
    }

    /** Virtual time at which every stream of this device is idle (0 before any work). */
    public long synchronizeNs() {
        long t = 0;
        for (Stream s : streams) {
            t = Math.max(t, s.readyNs());
        }
        return t;
    }

    /** Solo duration of a kernel on {@code sms} SMs by this device's clock. */
    long kernelNs(KernelCost cost, int sms) {
        return spec.calibration() == null ? RooflineCostModel.kernelNs(spec, cost, sms)
                : CalibratedClock.kernelNs(spec, cost, sms);
    }

    /** Solo duration of a copy by this device's clock. */
    long copyNs(long bytes, MemoryPath path) {
        return spec.calibration() == null ? RooflineCostModel.copyNs(spec, bytes, path)
                : CalibratedClock.copyNs(spec, bytes, path);
    }

    /**
     * Shares of each {@link Occupancy} resource that work moving {@code bytes} over {@code path}
     * in {@code soloNs} needs: HBM at its achieved rate, the whole link it crosses, SMs if it runs
     * on a shared stream, one copy engine if it is a copy. Empty for roofline devices (no contention).
     */
    double[] need(long bytes, MemoryPath path, long soloNs, boolean sharedSms, boolean copyEngine) {
        double[] need = new double[Occupancy.RESOURCES];
        Calibration c = spec.calibration();
        if (c == null) {
            return need;
        }
        if (soloNs > 0) {
            need[Occupancy.HBM] = Math.min(1, bytes / (soloNs * 1e-9) / c.hbmBytesPerSecond());
        }
        if (path == MemoryPath.NVLINK) {
            need[Occupancy.NVLINK] = 1;
        } else if (path == MemoryPath.NETWORK) {
            need[Occupancy.NETWORK] = 1;
        }
        if (sharedSms) {
            need[Occupancy.SHARED_SMS] = 1;
        }
        if (copyEngine) {
            need[Occupancy.COPY_ENGINES] = 1.0 / c.links().copyEngines();
        }
        return need;
    }

    /**
     * Issues work of solo duration {@code soloNs} needing {@code need} (shares of each
     * {@link Occupancy} resource) on {@code stream}, whose previous work ends at {@code readyNs};
     * returns {@code {start, end}} and records it in the stream's occupancy.
     */
    long[] place(Stream stream, long readyNs, long soloNs, double[] need) {
        return place(stream, readyNs, soloNs, need, null, 0);
    }

    /**
     * As {@link #place(Stream, long, long, double[])} for a kernel of {@code cost} on {@code sms}
     * SMs: beside a resident communication kernel ({@link #hold}) it runs on the SMs left, at
     * {@code kernelNs(cost, sms) ÷ kernelNs(cost, sms − held)} of its speed (the clock's waves on
     * fewer SMs), unless another resource slows it more.
     */
    long[] placeKernel(Stream stream, long readyNs, long soloNs, double[] need, KernelCost cost, int sms) {
        return place(stream, readyNs, soloNs, need, cost, sms);
    }

    private long[] place(Stream stream, long readyNs, long soloNs, double[] need, KernelCost kernel, int sms) {
        Calibration c = spec.calibration();
        if (c == null) {
            return new long[] {readyNs, readyNs + soloNs};
        }
        hostNs += launchNs(c);
        long start = Math.max(hostNs, stream.placedAny()
                ? readyNs + (long) Math.ceil(c.launch().kernelGapNs()) : readyNs);
        return contend(stream, start, soloNs, need, kernel, sms);
    }

    /**
     * Records a communication kernel resident on {@code stream} from {@code startNs} to
     * {@code endNs}, holding {@code sms} of the device's SMs whatever the stream's grant: NCCL's
     * point-to-point kernel spins on its SMs until its peer arrives, so its window is decided by
     * both ends of the transfer, which the caller knows and the device does not. The host issues
     * it like any launch, and it starts no earlier than that. Kernels placed afterwards on other
     * streams run beside it on the SMs left ({@link #placeKernel}); work placed before is not
     * moved (see the class comment). Returns {@code {start, end}}.
     */
    long[] hold(Stream stream, long startNs, long endNs, int sms) {
        Calibration c = spec.calibration();
        if (c == null) {
            return new long[] {startNs, endNs};
        }
        hostNs += launchNs(c);
        long start = Math.max(startNs, hostNs);
        long end = Math.max(endNs, start);
        double[] share = new double[Occupancy.RESOURCES];
        share[Occupancy.HELD_SMS] = (double) sms / spec.numSms();
        stream.occupancy().add(start, end, share);
        return new long[] {start, end};
    }

    /** Host time to issue one kernel or copy: an eager launch, or one of a replayed CUDA graph. */
    private long launchNs(Calibration c) {
        return (long) Math.ceil(emulation.graphReplay() ? c.launch().graphLaunchNs() : c.launch().eagerLaunchNs());
    }

    /**
     * Runs work that needs {@code soloNs} alone from {@code start} beside the other streams' work,
     * recording each stretch at a constant rate in the stream's occupancy (at {@code need × rate});
     * returns {@code {first time it progressed, end}}: waiting for a resource held whole by
     * another stream is not running, as a kernel whose blocks cannot be scheduled has not started.
     * {@code kernel} (on {@code sms} SMs) is null for a copy, which held SMs do not slow.
     */
    private long[] contend(Stream self, long start, long soloNs, double[] need, KernelCost kernel, int sms) {
        double work = soloNs;
        long t = start;
        long first = -1;
        double[] used = new double[Occupancy.RESOURCES];
        double[] share = new double[Occupancy.RESOURCES];
        while (true) {
            java.util.Arrays.fill(used, 0);
            long next = Long.MAX_VALUE;
            for (Stream other : streams) {
                if (other == self) {
                    continue;
                }
                Occupancy o = other.occupancy();
                int i = o.firstEndingAfter(t);
                if (i == o.size()) {
                    continue;
                }
                if (o.start(i) <= t) {
                    for (int r = 0; r < used.length; r++) {
                        used[r] += o.share(i, r);
                    }
                    next = Math.min(next, o.end(i));
                } else {
                    next = Math.min(next, o.start(i));
                }
            }
            double rate = 1;
            for (int r = 0; r < used.length; r++) {
                if (need[r] > 0) {
                    rate = Math.min(rate, Math.max(0, 1 - used[r]) / need[r]);
                }
            }
            if (kernel != null && soloNs > 0 && used[Occupancy.HELD_SMS] > 0) {
                int held = (int) Math.round(used[Occupancy.HELD_SMS] * spec.numSms());
                rate = Math.min(rate, soloNs / (double) kernelNs(kernel, Math.max(1, sms - held)));
            }
            if (rate <= 0) {
                t = next;
                continue;
            }
            if (first < 0) {
                first = t;
            }
            for (int r = 0; r < share.length; r++) {
                share[r] = need[r] * rate;
            }
            if (next == Long.MAX_VALUE || work <= rate * (next - t)) {
                long end = t + (long) Math.ceil(work / rate);
                self.occupancy().add(t, end, share);
                return new long[] {first, end};
            }
            self.occupancy().add(t, next, share);
            work -= rate * (next - t);
            t = next;
        }
    }
}
