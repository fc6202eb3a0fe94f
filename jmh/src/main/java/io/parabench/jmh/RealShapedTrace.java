package io.parabench.jmh;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a generated PyTorch-profiler (Kineto) trace shaped like a real one — not copied from
 * one. What makes real traces slow to read is their mix, not their kernels: in DeepSeek's
 * {@code train.json} 31% of the events are CPU ops, 27% runtime calls, 34% flow events and only
 * 7% kernels, every event pretty-printed over 4–15 indented lines, CPU ops with their
 * {@code args}. This generator writes the same mix in the same layout: per kernel launch an
 * autograd chain of four CPU ops (half with {@code Input Dims}, {@code Input type},
 * {@code Input Strides}, {@code Concrete Inputs}, as {@code record_shapes=True} writes them),
 * four runtime calls (one {@code cudaLaunchKernel} whose correlation id the kernel carries), a
 * launch flow ({@code ac2g} start and finish) and the kernel with Kineto's twelve {@code args};
 * DeepEP dispatch/combine kernels on a 20-SM communication stream; a {@code ProfilerStep#}
 * user annotation with its GPU projection every 250 launches; memcpy and memset now and then.
 * About 3.3 kB of JSON per launch, like {@code train.json} (3.1 MB for 963 kernels).
 *
 * <p>Deterministic: the same seed and size give the same bytes. Stateless.
 *
 * <p>{@code java -cp jmh/target/benchmarks.jar io.parabench.jmh.RealShapedTrace OUT.json SIZE_MB}
 * writes the file {@link TraceReadBenchmark} reads (seed {@value #SEED}), so other tools (HTA,
 * the cold CLI: {@code jmh/src/test/scripts/hta_trace_read.py}) can be timed on the same bytes.
 */
final class RealShapedTrace {
    private static final String[] COMPUTE = {
            "void cutlass::device_kernel<dpsk::grouped_gemm::cuda::fp8_dptp128c_acc::GemmKernel>(dpsk::grouped_gemm::cuda::fp8_dptp128c_acc::Params)",
            "void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<float>, std::array<char*, 3ul> >(int, at::native::CUDAFunctor_add<float>, std::array<char*, 3ul>)",
            "sm90_xmma_gemm_bf16f32_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas",
            "void layer_norm::ln_fwd_kernel<layer_norm::Kernel_traits<__nv_bfloat16, __nv_bfloat16, __nv_bfloat16, float, unsigned int, 7168u, 1u, 4u, 1u, 16u>, false>(layer_norm::FwdParams)",
            "void cuda::per_token_cast_to_fp8_with_channels<__nv_bfloat16, 128, false, 128, false>(__nv_bfloat16 const*, int, unsigned char*, float*, int, int, int, int, bool, float, __nv_fp8_interpretation_t)",
            "void flash_fwd_kernel<Flash_fwd_kernel_traits<192, 64, 64, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<192, 64, 64, 4, cutlass::bfloat16_t> >, false, true, false, false, false, false>(flash::Flash_fwd_params)",
    };
    private static final String[] COMM = {
            "void dpsk::ep::internode::dispatch<false, 8, true, 8>(int4*, float*, long*, float*, dpsk::ep::internode::SourceMeta*, int4 const*, float const*, long const*, float const*, int*, int*, int*, int*, int, int, int, int, int, void*, int, int)",
            "void dpsk::ep::internode::combine<false, 8, __nv_bfloat16, 8, 2, 16, 24>(int4*, float*, bool*, int4 const*, float const*, int const*, int const*, void*, int, int, int, int, int, int, int)",
            "void dpsk::ep::internode::cached_notify<false>(int, int, int, int, int*, int, int, int const*, int const*, int*, void*, void**, int**, int, int, int, int*, bool, int)",
    };
    private static final String[][] AUTOGRAD = {
            {"autograd::engine::evaluate_function: MmBackward0", "MmBackward0", "aten::mm", "aten::empty"},
            {"autograd::engine::evaluate_function: MulBackward0", "MulBackward0", "aten::mul", "aten::empty_strided"},
            {"autograd::engine::evaluate_function: AddBackward0", "AddBackward0", "aten::add_", "aten::as_strided"},
            {"autograd::engine::evaluate_function: ToCopyBackward0", "ToCopyBackward0", "aten::_to_copy", "aten::copy_"},
    };
    private static final String[] OTHER_RUNTIME = {"cudaStreamWaitEvent", "cudaEventRecord", "cudaStreamIsCapturing"};
    private static final int PID = 1166;
    private static final int CPU_TID = 2571;

    /** The seed {@link TraceReadBenchmark} generates with. */
    static final long SEED = 42;

    private RealShapedTrace() {
    }

    /** Writes the benchmark's trace: {@code OUT.json SIZE_MB}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[1].matches("[1-9][0-9]{0,5}")) {
            System.err.println("usage: RealShapedTrace OUT.json SIZE_MB (SIZE_MB a whole number from 1 to 999999)");
            System.exit(2);
        }
        try (Writer out = Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.US_ASCII)) {
            write(out, Long.parseLong(args[1]) * 1_000_000L, SEED);
        }
    }

    /** Writes a trace of at least {@code targetBytes}; returns the number of kernels written. */
    static long write(Writer w, long targetBytes, long seed) throws IOException {
        Counting out = new Counting(w);
        Random random = new Random(seed);
        out.append("{\n  \"schemaVersion\": 1,\n  \"deviceProperties\": [\n    {\n"
                + "      \"id\": 0, \"name\": \"NVIDIA H800\", \"totalGlobalMem\": 84943110144,\n"
                + "      \"computeMajor\": 9, \"computeMinor\": 0,\n      \"maxThreadsPerBlock\": 1024,"
                + " \"maxThreadsPerMultiprocessor\": 2048,\n      \"regsPerBlock\": 65536, \"warpSize\": 32,\n"
                + "      \"numSms\": 132, \"sharedMemPerBlockOptin\": 232448\n    }\n  ],\n"
                + "  \"distributedInfo\": {\"backend\": \"nccl\", \"rank\": 0, \"world_size\": 64},\n"
                + "  \"traceEvents\": [\n");
        long cpuUs = 1_740_461_679_470_000L;
        long computeUs = cpuUs + 50;
        long commUs = cpuUs + 50;
        long externalId = 5633;
        long eventIndex = 0;
        long sequence = 20703;
        long kernels = 0;
        while (out.count < targetBytes) {
            if (kernels % 250 == 0) {
                long stepUs = 250L * 12;
                cpuOp(out, "user_annotation", "ProfilerStep#" + kernels / 250, cpuUs, stepUs, externalId++, eventIndex++,
                        false, random);
                gpuEvent(out, "gpu_user_annotation", "ProfilerStep#" + kernels / 250, 7, Math.max(computeUs, cpuUs),
                        stepUs, externalId, -1, 0, false);
            }
            String[] chain = AUTOGRAD[random.nextInt(AUTOGRAD.length)];
            long opUs = cpuUs;
            for (int k = 0; k < chain.length; k++) {
                cpuOp(out, "cpu_op", chain[k], opUs + k, 12 - 2 * k, externalId++, eventIndex++, k == 2, random);
            }
            boolean comm = random.nextInt(4) == 0;
            long correlation = externalId + 40_000;
            for (int k = 0; k < 3; k++) {
                runtime(out, OTHER_RUNTIME[k], opUs + 1 + k, 2, externalId, correlation - 1 - k, 147 + k);
                flow(out, "s", correlation - 1 - k, opUs + 1 + k, PID, "ac2g", false);
            }
            runtime(out, "cudaLaunchKernel", opUs + 5, 4, externalId, correlation, 211);
            flow(out, "s", correlation, opUs + 5, PID, "ac2g", false);
            long durUs = 2 + random.nextInt(200);
            long startUs;
            int stream;
            String name;
            if (comm) {
                commUs = Math.max(commUs, opUs + 8);
                startUs = commUs;
                commUs += durUs + random.nextInt(3);
                stream = 27;
                name = COMM[random.nextInt(COMM.length)];
            } else {
                computeUs = Math.max(computeUs, opUs + 8);
                startUs = computeUs;
                computeUs += durUs + random.nextInt(3);
                stream = 7;
                name = COMPUTE[random.nextInt(COMPUTE.length)];
            }
            gpuEvent(out, "kernel", name, stream, startUs, durUs, externalId, correlation,
                    comm ? 20 : 1 + random.nextInt(4096), true);
            flow(out, "f", correlation, startUs, 0, "ac2g", true);
            if (random.nextInt(50) == 0) {
                gpuEvent(out, random.nextBoolean() ? "gpu_memcpy" : "gpu_memset",
                        random.nextBoolean() ? "Memcpy DtoD (Device -> Device)" : "Memset (Device)", 7,
                        Math.max(computeUs, opUs + 8), 3, externalId, correlation, 0, false);
            }
            if (random.nextInt(8) == 0) {
                flow(out, "s", sequence, opUs, CPU_TID, "fwdbwd", false);
                flow(out, "f", sequence, opUs + 3, CPU_TID, "fwdbwd", true);
            }
            externalId++;
            sequence++;
            kernels++;
            cpuUs += 12 + random.nextInt(8);
        }
        out.append("  {\n    \"name\": \"Record Window End\", \"ph\": \"i\", \"s\": \"g\",\n    \"pid\": \"\", \"tid\": \"\","
                + " \"ts\": " + cpuUs + "\n  }\n  ],\n  \"traceName\": \"generated.json\"\n}\n");
        return kernels;
    }

    private static void cpuOp(Counting out, String cat, String name, long tsUs, long durUs, long externalId,
                              long eventIndex, boolean shapes, Random random) throws IOException {
        out.append("  {\n    \"ph\": \"X\", \"cat\": \"").append(cat).append("\", \"name\": \"").append(name)
                .append("\", \"pid\": ").append(PID).append(", \"tid\": ").append(CPU_TID).append(",\n    \"ts\": ")
                .append(tsUs).append(", \"dur\": ").append(Math.max(1, durUs)).append(",\n    \"args\": {\n")
                .append("      \"External id\": ").append(externalId).append(",\"Ev Idx\": ").append(eventIndex);
        if (name.startsWith("autograd") || !name.startsWith("aten")) {
            out.append(", \"Fwd thread id\": 1, \"Sequence number\": ").append(20_000 + eventIndex % 5000);
        }
        if (shapes) {
            int m = 1024 << random.nextInt(3);
            out.append(",\n      \"Input Dims\": [[").append(m).append(", 7168], [7168, 2048], []],")
                    .append("\n      \"Input type\": [\"c10::BFloat16\", \"c10::BFloat16\", \"\"],")
                    .append("\n      \"Input Strides\": [[7168, 1], [1, 7168], []],")
                    .append("\n      \"Concrete Inputs\": [\"\", \"\", \"\"]");
        }
        out.append("\n    }\n  },\n");
    }

    private static void runtime(Counting out, String name, long tsUs, long durUs, long externalId, long correlation,
                                int cbid) throws IOException {
        out.append("  {\n    \"ph\": \"X\", \"cat\": \"cuda_runtime\", \"name\": \"").append(name)
                .append("\", \"pid\": ").append(PID).append(", \"tid\": ").append(PID).append(",\n    \"ts\": ")
                .append(tsUs).append(", \"dur\": ").append(durUs).append(",\n    \"args\": {\n      \"External id\": ")
                .append(externalId).append(",\n      \"cbid\": ").append(cbid).append(", \"correlation\": ")
                .append(correlation).append("\n    }\n  },\n");
    }

    private static void flow(Counting out, String ph, long id, long tsUs, int tid, String cat, boolean bindEnclosing)
            throws IOException {
        out.append("  {\n    \"ph\": \"").append(ph).append("\", \"id\": ").append(id).append(", \"pid\": ")
                .append(tid == 0 ? 0 : PID).append(", \"tid\": ").append(tid == 0 ? 7 : tid).append(", \"ts\": ")
                .append(tsUs).append(",\n    \"cat\": \"").append(cat).append("\", \"name\": \"").append(cat)
                .append(bindEnclosing ? "\", \"bp\": \"e\"\n  },\n" : "\"\n  },\n");
    }

    private static void gpuEvent(Counting out, String cat, String name, int stream, long tsUs, long durUs,
                                 long externalId, long correlation, int grid, boolean kernelArgs) throws IOException {
        out.append("  {\n    \"ph\": \"X\", \"cat\": \"").append(cat).append("\", \"name\": \"").append(name)
                .append("\", \"pid\": 0, \"tid\": ").append(stream).append(",\n    \"ts\": ").append(tsUs)
                .append(", \"dur\": ").append(durUs).append(",\n    \"args\": {\n      \"External id\": ")
                .append(externalId);
        if (correlation >= 0) {
            out.append(",\n      \"device\": 0, \"context\": 1,\n      \"stream\": ").append(stream)
                    .append(", \"correlation\": ").append(correlation);
        }
        if (kernelArgs) {
            out.append(",\n      \"queued\": 0,\n      \"registers per thread\": 56,\n      \"shared memory\": 0,")
                    .append("\n      \"blocks per SM\": ").append(grid / 132.0)
                    .append(",\n      \"warps per SM\": ").append(grid * 4 / 132.0)
                    .append(",\n      \"grid\": [").append(grid).append(", 1, 1],\n      \"block\": [128, 1, 1],")
                    .append("\n      \"est. achieved occupancy %\": ").append(Math.min(100, grid / 2));
        }
        out.append("\n    }\n  },\n");
    }

    /** Counts the characters written (all ASCII: bytes), to stop at the target size. */
    private static final class Counting {
        private final Writer w;
        long count;

        Counting(Writer w) {
            this.w = w;
        }

        Counting append(String s) throws IOException {
            w.write(s);
            count += s.length();
            return this;
        }

        Counting append(long v) throws IOException {
            return append(Long.toString(v));
        }

        Counting append(double v) throws IOException {
            return append(Double.toString(v));
        }
    }
}
