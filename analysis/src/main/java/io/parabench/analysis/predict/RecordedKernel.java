package io.parabench.analysis.predict;

/**
 * One computation kernel of a recorded op.
 *
 * @param us       its duration (µs)
 * @param besideUs how long a communication kernel that already held SMs when it started ran
 *                 beside it on its device (µs)
 * @param slowdown how many times as long it runs beside an SM-holding comm kernel (1 when the
 *                 trace gives no grid or block resources), see {@link io.parabench.gpu.SmSharing}
 * @param lastWave the part of its duration after which its last wave is placed
 * @param shape    what it ran: kernel name, grid and block (kernels of one shape do the same work)
 * @param startNs  when it started on the trace's clock
 */
record RecordedKernel(double us, double besideUs, double slowdown, double lastWave, String shape, long startNs) {
    /**
     * What it would have taken alone, by the model that slows it: while a comm kernel held SMs it
     * progressed at {@code 1 ÷ slowdown}, so {@code us − besideUs·(1 − 1/slowdown)}.
     */
    double aloneUs() {
        return us - besideUs * (1 - 1 / slowdown);
    }
}
