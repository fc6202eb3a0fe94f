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

    Tensor(Device device, String name, int rows, int cols, boolean withData) {
        this.device = device;
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.data = withData ? new float[rows * cols] : null;
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
        return rows * cols;
    }

    /** Bytes this tensor occupies in device memory (FP32, whatever the charged precision). */
    public long bytes() {
        return 4L * rows * cols;
    }

    /**
     * The live data; valid until {@link Device#free(Tensor)}.
     *
     * @throws IllegalStateException if freed, or if the device is timing-only (no data exists)
     */
    public float[] data() {
        if (freed) {
            throw new IllegalStateException("tensor " + name + " on device " + device.id() + " was freed");
        }
        if (data == null) {
            throw new IllegalStateException("tensor " + name + " on device " + device.id()
                    + " holds no data: the device is timing-only");
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
