package io.parabench.analysis.metrics;

import io.parabench.analysis.read.GpuEventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelClassifierTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ncclAllReduceRingLLKernel_sum_f32(ncclColl)|COMMUNICATION",
            "ncclKernel_AllReduce_RING_LL_Sum_float(ncclDevComm*, unsigned long, ncclWork*)|COMMUNICATION",
            "ncclDevKernel_SendRecv(ncclDevKernelArgsStorage<4096ul>)|COMMUNICATION",
            "void dpsk::ep::internode::dispatch<false, 8, true, 8>(int4*, float*)|COMMUNICATION",
            "void deep_ep::intranode::combine<__nv_bfloat16, 8, 768>(int4*, float*)|COMMUNICATION",
            "void cub::DeviceScanKernel<cdpsk::ep::Policy>(int*)|COMPUTATION",
            "void cutlass::device_kernel<dpsk::grouped_gemm::cuda::fp8_dptp128c_acc::GemmKernel>(x)|COMPUTATION",
            "sm90_xmma_gemm_bf16f32_bf16f32_f32_tn_n_tilesize128x128x64|COMPUTATION",
            "Memcpy DtoD (Device -> Device)|MEMORY",
            "Memset (Device)|MEMORY",
    })
    void shouldClassifyByNameByDefault(String name, KernelClass expected) {
        assertEquals(expected, KernelClassifier.defaults().classify(GpuEventKind.KERNEL, name, 7));
    }

    @Test
    void shouldTreatCopiesAsMemoryWhateverTheirName() {
        assertEquals(KernelClass.MEMORY, KernelClassifier.defaults().classify(GpuEventKind.MEMCPY, "nccl-ish", 7));
        assertEquals(KernelClass.MEMORY, KernelClassifier.defaults().classify(GpuEventKind.MEMSET, "x", 7));
    }

    @Test
    void shouldMakeEveryKernelOfACommunicationStreamCommunication() {
        KernelClassifier c = KernelClassifier.of(null, Set.of(27));
        assertEquals(KernelClass.COMMUNICATION, c.classify(GpuEventKind.KERNEL, "per_token_cast_to_fp8", 27));
        assertEquals(KernelClass.COMPUTATION, c.classify(GpuEventKind.KERNEL, "per_token_cast_to_fp8", 7));
        assertEquals(KernelClass.MEMORY, c.classify(GpuEventKind.MEMCPY, "Memcpy", 27));
    }

    @Test
    void shouldUseACustomPatternInsteadOfTheDefault() {
        KernelClassifier c = KernelClassifier.of("^rccl|all_to_all", Set.of());
        assertEquals(KernelClass.COMMUNICATION, c.classify(GpuEventKind.KERNEL, "my_all_to_all_kernel", 0));
        assertEquals(KernelClass.COMPUTATION, c.classify(GpuEventKind.KERNEL, "ncclDevKernel_SendRecv", 0));
    }

    @Test
    void shouldRejectABadRegexNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelClassifier.of("nccl(", Set.of()));
        assertTrue(e.getMessage().startsWith("--comm-pattern (nccl() must be a valid Java regex"), e.getMessage());
    }
}
