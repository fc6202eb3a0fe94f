package io.parabench.trace;

/**
 * The {@code args} a GPU kernel event carries in the PyTorch-profiler schema, plus what the
 * emulator knows exactly: the SMs the kernel used, its FLOPs and the bytes it moved.
 *
 * @param device device id
 * @param stream stream id (also the event's {@code tid})
 * @param gridX  blocks in x; {@code grid} is written as {@code [gridX, 1, 1]}
 * @param blockX threads per block in x; {@code block} is written as {@code [blockX, 1, 1]}
 * @param sms    SMs the kernel occupied, or {@code -1} when unknown (then analysis derives it
 *               from {@code grid})
 * @param flops  floating-point operations, or {@code -1} when not modelled
 * @param bytes  bytes read plus written, or {@code -1} when not modelled
 */
public record KernelArgs(int device, int stream, int gridX, int blockX, int sms, long flops, long bytes) {
}
