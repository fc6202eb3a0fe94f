package io.parabench.gpu;

/**
 * A buffer in an emulated device's memory: row-major FP32 data that kernels really compute on,
 * accounted in its device's memory at 4 bytes an element. Obtained from
 * {@link Device#allocate(String, int, int)} and given back with {@link Device#free(Tensor)}.
 *
 * <p>Not thread-safe: the data array is shared with the kernels that run on it.
 */
public final class Tensor {
    private final Device device;
    private final String name;
    private final int rows;
    private final int cols;
    private final float[] data;
    private boolean freed;

    Tensor(Device device, String name, int rows, int cols) {
        this.device = device;
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.data = new float[rows * cols];
    }

    public Device device() {
        return device;
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Elements, rows × cols. */
    public int size() {
        return data.length;
    }

    /** Bytes this tensor occupies in device memory. */
    public long bytes() {
        return 4L * data.length;
    }

    /** The live data; valid until {@link Device#free(Tensor)}. */
    public float[] data() {
        if (freed) {
            throw new IllegalStateException("tensor " + name + " on device " + device.id() + " was freed");
        }
        return data;
    }

    boolean freed() {
        return freed;
    }

    void markFreed() {
        freed = true;
    }

    @Override
    public String toString() {
        return name + "[" + rows + "×" + cols + "] on device " + device.id();
    }
}
