package io.parabench.analysis.predict;

import io.parabench.pipeline.Op;

import java.util.List;

/**
 * One pipeline op as a profiled step ran it on one rank.
 *
 * @param rank       the rank
 * @param op         the op in the schedule grammar (local chunk)
 * @param stage      its stage within its flow
 * @param flow       its flow (DualPipe's direction; 0 otherwise)
 * @param busyUs     the union of the computation kernels it launched (µs), 0 when it launched none
 * @param overlapped whether a communication kernel ran on the device while those kernels ran
 *                   (they then compete for SMs and memory, and the op runs slower than alone)
 * @param kernels    its computation kernels in start order (empty when the trace does not tie
 *                   kernels to the op)
 * @param sendAfter  how many of them started before its output left for another rank, or -1
 *                   when no transfer followed it
 */
record RecordedOp(int rank, Op op, int stage, int flow, double busyUs, boolean overlapped, List<RecordedKernel> kernels,
                  int sendAfter) {
}
