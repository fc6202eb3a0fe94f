package io.parabench.gpu;

import io.parabench.kernels.GemmLayout;
import io.parabench.trace.EventCategory;
import io.parabench.trace.KernelArgs;
import io.parabench.trace.MemcpyArgs;

import java.util.List;

/**
 * An in-order queue of work on one device, holding a fixed grant of the device's SMs (or, made by
 * {@link Device#sharedStream()}, sharing the unreserved SMs with other shared streams).
 *
 * <p>Issuing work runs its numerics at once (on the device's host pool; not at all on a
 * timing-only device) and places it on the virtual clock: it starts when the stream is ready,
 * i.e. after the stream's previous work and any {@link Event} it was told to {@link #waitFor},
 * and lasts as the device's clock says (see {@link Device} for launches and contention). Kernels
 * use all SMs granted to the stream; the trace writes them as a persistent kernel of one
 * 128-thread block per SM ({@code grid = [sms,1,1]}, {@code block = [128,1,1]}).
 *
 * <p>Costs follow the device's {@link Emulation#precision()}: GEMMs without an explicit
 * precision run in it, and memory-bound kernels and copies move its activation width per
 * element.
 *
 * <p>Not thread-safe; see {@link Device}.
 */
public final class Stream {
    /** Threads per block written to traces for every kernel. */
    static final int BLOCK_THREADS = 128;

    private final Device device;
    private final int id;
    private final int sms;
    private final boolean shared;
    private final Occupancy occupancy = new Occupancy();
    private long readyNs;
    /** Start of the first work inside the open annotation, or -1 before it. */
    private long spanStartNs = -1;
    /** Where every kernel and copy placed is also kept ({@link #keepLaunches}), or null. */
    private List<Launch> kept;

    Stream(Device device, int id, int sms, boolean shared) {
        this.device = device;
        this.id = id;
        this.sms = sms;
        this.shared = shared;
    }

    Occupancy occupancy() {
        return occupancy;
    }

    boolean placedAny() {
        return occupancy.size() > 0;
    }

    /** Places work of {@code soloNs} on the clock; returns its start and end. */
    private long[] place(long soloNs, double[] need) {
        long[] span = device.place(this, readyNs, soloNs, need);
        advance(span);
        return span;
    }

    /** Work placed at {@code span} ({start, end}) is this stream's latest. */
    private void advance(long[] span) {
        readyNs = span[1];
        if (spanStartNs < 0) {
            spanStartNs = span[0];
        }
    }

    public Device device() {
        return device;
    }

    public int id() {
        return id;
    }

    /** SMs granted to this stream (0 for a copy-only stream). */
    public int sms() {
        return sms;
    }

    /** Virtual time at which all work issued so far on this stream has finished. */
    public long readyNs() {
        return readyNs;
    }

    /**
     * Runs a kernel: {@code numerics} now on the host, its time from {@code cost}.
     *
     * @throws IllegalArgumentException if this stream has no SMs
     */
    public Launch launch(String name, KernelCost cost, Runnable numerics) {
        if (sms == 0) {
            throw new IllegalArgumentException("kernel " + name + " needs SMs, but stream " + id + " of device "
                    + device.id() + " has 0 (copy-only)");
        }
        long soloNs = device.kernelNs(cost, sms);
        if (!device.timingOnly()) {
            numerics.run();
        }
        long[] span = device.placeKernel(this, readyNs, soloNs, device.need(cost.bytes(), cost.path(), soloNs, shared,
                false), cost, sms);
        advance(span);
        long start = span[0];
        long durationNs = span[1] - start;
        if (device.trace() != null) {
            device.trace().complete(EventCategory.KERNEL, name, device.id(), id, start, durationNs,
                    new KernelArgs(device.id(), id, sms, BLOCK_THREADS, sms, cost.flops(), cost.bytes()));
        }
        return kept(new Launch(name, device.id(), id, start, readyNs));
    }

    /**
     * From now on, also adds every kernel and copy this stream places to {@code sink}, in issue
     * order (what a probe needs to time an op kernel by kernel); null stops keeping them.
     */
    public void keepLaunches(List<Launch> sink) {
        kept = sink;
    }

    private Launch kept(Launch launch) {
        if (kept != null) {
            kept.add(launch);
        }
        return launch;
    }

    /**
     * One of a linear layer's GEMMs in the device's charged precision: {@code c = a·b} (or
     * {@code c += a·b}) with shapes as {@link GemmLayout} stores them: FORWARD a = X[m×k],
     * b = W[n×k]; BACKWARD_INPUT a = dY[m×k], b = W[k×n]; BACKWARD_WEIGHT a = dY[k×m],
     * b = X[k×n]; c is m×n in all three.
     */
    public Launch gemm(GemmLayout layout, Tensor a, Tensor b, Tensor c, boolean accumulate) {
        return gemm(layout, a, b, c, accumulate, device.emulation().precision());
    }

    /**
     * A GEMM timed as if its inputs were {@code precision} (TF32, BF16 or FP8 tensor cores, as
     * DeepSeek trains): the cost uses that precision's clock and counts A and B at its input width
     * (4, 2 or 1 bytes an element) and C at its activation width. The numerics stay FP32; round
     * the inputs first with {@link #roundTripBf16} or {@link #roundTripFp8E4m3} to see what the
     * precision loses.
     */
    public Launch gemm(GemmLayout layout, Tensor a, Tensor b, Tensor c, boolean accumulate, Precision precision) {
        onThisDevice(a, b, c);
        int m = c.rows();
        int n = c.cols();
        int k = layout == GemmLayout.BACKWARD_WEIGHT ? a.rows() : a.cols();
        int aRows = layout == GemmLayout.BACKWARD_WEIGHT ? k : m;
        int aCols = layout == GemmLayout.BACKWARD_WEIGHT ? m : k;
        int bRows = layout == GemmLayout.FORWARD ? n : k;
        int bCols = layout == GemmLayout.FORWARD ? k : n;
        if (a.rows() != aRows || a.cols() != aCols || b.rows() != bRows || b.cols() != bCols) {
            throw new IllegalArgumentException("gemm " + layout + " shapes (a " + a.rows() + "×" + a.cols() + ", b "
                    + b.rows() + "×" + b.cols() + ", c " + m + "×" + n + ") must be a " + aRows + "×" + aCols
                    + ", b " + bRows + "×" + bCols);
        }
        long bytes = (long) precision.inputBytes() * ((long) a.size() + b.size())
                + (long) precision.activationBytes() * c.size() * (accumulate ? 2 : 1);
        String name = (precision == Precision.FP32 ? "gemm_" : precision.label() + "_gemm_")
                + layout.name().toLowerCase(java.util.Locale.ROOT);
        return launch(name, KernelCost.gemm(GemmShape.of(m, n, k), precision, bytes),
                () -> device.kernels().gemm(device.pool(), layout, m, n, k, a.data(), b.data(), c.data(), accumulate));
    }

    /** {@code out = a + b}, elementwise. */
    public Launch add(Tensor a, Tensor b, Tensor out) {
        sameShape(a, b, out);
        return launch("add", memory(MemoryOp.ELEMENTWISE, a, 1, 3),
                () -> device.kernels().add(a.data(), b.data(), out.data(), a.size()));
    }

    /** {@code out = a × s}, elementwise. */
    public Launch scale(Tensor a, float s, Tensor out) {
        sameShape(a, out);
        return launch("scale", memory(MemoryOp.ELEMENTWISE, a, 1, 2),
                () -> device.kernels().scale(a.data(), s, out.data(), a.size()));
    }

    /** GELU (tanh form) forward; about 20 FLOPs an element. */
    public Launch geluTanh(Tensor x, Tensor out) {
        sameShape(x, out);
        return launch("gelu_tanh", memory(MemoryOp.GELU, x, 20, 2),
                () -> device.kernels().geluTanh(x.data(), out.data(), x.size()));
    }

    /** GELU (tanh form) backward: {@code dx = dy · gelu'(x)}; about 30 FLOPs an element. */
    public Launch geluTanhBackward(Tensor x, Tensor dy, Tensor dx) {
        sameShape(x, dy, dx);
        return launch("gelu_tanh_backward", memory(MemoryOp.GELU_BACKWARD, x, 30, 3),
                () -> device.kernels().geluTanhBackward(x.data(), dy.data(), dx.data(), x.size()));
    }

    /** Exact (erf) GELU forward; about 25 FLOPs an element. */
    public Launch geluErf(Tensor x, Tensor out) {
        sameShape(x, out);
        return launch("gelu_erf", memory(MemoryOp.GELU, x, 25, 2),
                () -> device.kernels().geluErf(x.data(), out.data(), x.size()));
    }

    /** Exact (erf) GELU backward: {@code dx = dy · gelu'(x)}; about 30 FLOPs an element. */
    public Launch geluErfBackward(Tensor x, Tensor dy, Tensor dx) {
        sameShape(x, dy, dx);
        return launch("gelu_erf_backward", memory(MemoryOp.GELU_BACKWARD, x, 30, 3),
                () -> device.kernels().geluErfBackward(x.data(), dy.data(), dx.data(), x.size()));
    }

    /** Mean squared error of two same-shape tensors into the 1×1 tensor {@code loss}. */
    public Launch mseLoss(Tensor prediction, Tensor target, Tensor loss) {
        sameShape(prediction, target);
        onThisDevice(loss);
        if (loss.size() != 1) {
            throw new IllegalArgumentException("mse loss tensor " + loss + " must hold exactly one element");
        }
        return launch("mse_loss", memory(MemoryOp.REDUCTION, prediction, 3, 2),
                () -> loss.data()[0] = device.kernels().mseLoss(prediction.data(), target.data(), prediction.size()));
    }

    /** Gradient of {@link #mseLoss} with respect to the prediction. */
    public Launch mseGrad(Tensor prediction, Tensor target, Tensor grad) {
        sameShape(prediction, target, grad);
        return launch("mse_loss_backward", memory(MemoryOp.ELEMENTWISE, prediction, 2, 3),
                () -> device.kernels().mseGrad(prediction.data(), target.data(), grad.data(), prediction.size()));
    }

    /** Rounds every element to bfloat16 and back (what a BF16 activation store loses). */
    public Launch roundTripBf16(Tensor x, Tensor out) {
        sameShape(x, out);
        return launch("bf16_round_trip", memory(MemoryOp.ELEMENTWISE, x, 0, 2),
                () -> device.kernels().roundTripBf16(x.data(), out.data(), x.size()));
    }

    /**
     * DeepSeek-V3's FP8 activation path in one kernel: per-token e4m3 cast with one scale per 128
     * channels, then the cast back, so {@code out} holds exactly what an FP8 GEMM would read.
     * Bytes: the FP32 input read, one code byte and one FP32 output per element.
     */
    public Launch roundTripFp8E4m3(Tensor x, Tensor out) {
        sameShape(x, out);
        int rows = x.rows();
        int cols = x.cols();
        return launch("fp8_e4m3_round_trip", memory(MemoryOp.ELEMENTWISE, x, 3, 3), () -> {
            byte[] codes = new byte[x.size()];
            float[] scales = new float[rows * ((cols + 127) / 128)];
            device.kernels().castFp8E4m3(x.data(), rows, cols, codes, scales);
            device.kernels().castBackFp8E4m3(codes, scales, rows, cols, out.data());
        });
    }

    /** Row-wise softmax of a rows×cols tensor; about 5 FLOPs an element (max, exp, sum, scale). */
    public Launch softmax(Tensor x, Tensor out) {
        sameShape(x, out);
        return launch("softmax", memory(MemoryOp.SOFTMAX, x, 5, 2),
                () -> device.kernels().softmax(x.data(), x.rows(), x.cols(), out.data()));
    }

    /**
     * Copies {@code src} into {@code dst} (same shape, either device) through copy engines, on
     * any stream, 0-SM streams included; written as a {@code gpu_memcpy} event.
     */
    public Launch copy(Tensor src, Tensor dst, MemoryPath path) {
        if (src.rows() != dst.rows() || src.cols() != dst.cols()) {
            throw new IllegalArgumentException("copy shapes (" + src + " to " + dst + ") must match");
        }
        long bytes = (long) src.size() * device.emulation().precision().activationBytes();
        long soloNs = device.copyNs(bytes, path);
        if (!device.timingOnly()) {
            System.arraycopy(src.data(), 0, dst.data(), 0, src.size());
        }
        // a device-local copy on a stream with SMs runs as a copy kernel on them (as CUDA's DtoD
        // memcpy does); copies over links and on copy-only streams use copy engines
        boolean kernelCopy = path == MemoryPath.HBM && sms > 0;
        long[] span = place(soloNs, device.need(path == MemoryPath.HBM ? 2 * bytes : bytes, path, soloNs,
                shared && kernelCopy, !kernelCopy));
        long start = span[0];
        long durationNs = span[1] - start;
        String name = path == MemoryPath.HBM ? "Memcpy DtoD (Device -> Device)" : "Memcpy PtoP (Device -> Device)";
        if (device.trace() != null) {
            device.trace().memcpy(name, device.id(), id, start, durationNs,
                    new MemcpyArgs(device.id(), id, bytes));
        }
        return kept(new Launch(name, device.id(), id, start, readyNs));
    }

    /**
     * A communication kernel resident from {@code startNs} to {@code endNs} (NCCL's SendRecv, which
     * spins on its SMs from its launch until its peer has arrived and the data has moved): it holds
     * {@code kernel.blocks()} of the device's SMs in that window, whatever this stream's grant, and
     * kernels issued afterwards on other streams of the device run beside it on the SMs left (see
     * {@link Device}). The caller gives the window because it depends on the peer device; the host
     * issues it as one launch, and it starts no earlier than that. The data itself is the caller's
     * to move. Written as a kernel of {@code blocks} blocks of the kernel's
     * threads.
     *
     * @throws IllegalArgumentException if the window starts before this stream's previous work ends
     *                                  or ends before it starts
     */
    public Launch commKernel(String name, CommKernel kernel, long startNs, long endNs, long bytes) {
        if (startNs < readyNs || endNs < startNs) {
            throw new IllegalArgumentException("comm kernel " + name + " window (" + startNs + ".." + endNs
                    + " ns) must start at or after stream " + id + "'s ready time (" + readyNs + " ns) and not end before it starts");
        }
        if (kernel.blocks() >= device.spec().numSms()) {
            throw new IllegalArgumentException("comm kernel " + name + " blocks (" + kernel.blocks()
                    + ") must leave SMs of device " + device.id() + " (" + device.spec().numSms() + ")");
        }
        long[] span = device.hold(this, startNs, endNs, kernel.blocks());
        advance(span);
        if (device.trace() != null) {
            device.trace().complete(EventCategory.KERNEL, name, device.id(), id, span[0], span[1] - span[0],
                    new KernelArgs(device.id(), id, kernel.blocks(), kernel.shape().threads(), kernel.blocks(), 0, bytes));
        }
        return kept(new Launch(name, device.id(), id, span[0], span[1]));
    }

    /**
     * Runs {@code body} (which issues work on this stream) inside a named range, written as a
     * {@code user_annotation} event on this stream from the start of the body's first work (the
     * stream's ready time if it issues none) to the stream's ready time after.
     */
    public Launch annotate(String name, Runnable body) {
        long outer = spanStartNs;
        spanStartNs = -1;
        body.run();
        long start = spanStartNs < 0 ? readyNs : spanStartNs;
        spanStartNs = outer < 0 ? start : outer;
        if (device.trace() != null) {
            device.trace().complete(EventCategory.USER_ANNOTATION, name, device.id(), id, start, readyNs - start);
        }
        return new Launch(name, device.id(), id, start, readyNs);
    }

    /** An event at the time all work issued so far on this stream finishes. */
    public Event record() {
        return new Event(device.id(), id, readyNs);
    }

    /** Work issued on this stream from now on starts no earlier than {@code event}. */
    public void waitFor(Event event) {
        readyNs = Math.max(readyNs, event.timeNs());
    }

    /**
     * A memory-bound kernel's cost over {@code x}'s elements: {@code flops} an element on CUDA
     * cores and {@code tensors} tensors of x's size moved at the charged activation width.
     */
    private KernelCost memory(MemoryOp op, Tensor x, int flops, int tensors) {
        long elements = x.size();
        return KernelCost.memory(op, elements, flops * elements,
                tensors * elements * device.emulation().precision().activationBytes());
    }

    private void onThisDevice(Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t.device() != device) {
                throw new IllegalArgumentException("tensor " + t + " must be on device " + device.id()
                        + " to be used by its stream " + id);
            }
        }
    }

    private void sameShape(Tensor first, Tensor... others) {
        onThisDevice(first);
        onThisDevice(others);
        for (Tensor t : others) {
            if (t.rows() != first.rows() || t.cols() != first.cols()) {
                throw new IllegalArgumentException("tensor shapes (" + first + ", " + t + ") must match");
            }
        }
    }
}
