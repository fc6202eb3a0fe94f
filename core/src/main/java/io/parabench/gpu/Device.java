package io.parabench.gpu;

import io.parabench.kernels.HostPool;
import io.parabench.kernels.KernelProvider;
import io.parabench.kernels.Kernels;
import io.parabench.trace.ChromeTraceWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * One emulated GPU: a {@link DeviceSpec}, memory with current and peak accounting, and streams
 * that each hold a grant of the device's SMs. Kernels really compute, on the host threads of a
 * {@link HostPool}, while their times come from the {@link RooflineCostModel} on a virtual clock,
 * so the timeline is the same for any host, load or thread count.
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
    private final List<Stream> streams = new ArrayList<>();
    private int grantedSms;
    private long allocatedBytes;
    private long peakBytes;

    /**
     * @param id    device id (the trace's pid), >= 0
     * @param spec  what the cost model knows about the device
     * @param pool  host threads the numerics run on
     * @param trace where events go, or null to keep no trace
     */
    public Device(int id, DeviceSpec spec, HostPool pool, ChromeTraceWriter trace) {
        if (id < 0) {
            throw new IllegalArgumentException("device id (" + id + ") must be >= 0");
        }
        if (spec == null || pool == null) {
            throw new IllegalArgumentException("device spec and host pool must not be null");
        }
        this.id = id;
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
        Stream stream = new Stream(this, streams.size(), sms);
        streams.add(stream);
        grantedSms += sms;
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
        Tensor tensor = new Tensor(this, name, rows, cols);
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
}
