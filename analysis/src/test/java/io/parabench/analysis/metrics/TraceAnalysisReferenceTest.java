package io.parabench.analysis.metrics;

import io.parabench.analysis.read.GpuEvents;
import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import io.parabench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance numbers on the shared reference traces. Every expected value was printed by
 * {@code analysis/src/test/scripts/trace_reference.py}, a standard-library Python script over
 * the raw JSON that shares no code with parabench; the pipeline figures also equal the table
 * in {@code gpu-traces/README.md}.
 */
class TraceAnalysisReferenceTest {
    @Test
    void shouldReproduceDeepSeeksTrainingProfile() throws IOException {
        Path file = SharedData.require("profile-data/train.json");
        List<Trace> traces = TraceReader.read(file);
        TraceSummary s = TraceMetrics.analyze(file.toString(), traces, AnalysisOptions.defaults());
        assertEquals(1, s.devices().size(), "only device 0 has GPU events");
        DeviceMetrics d = s.devices().get(0);
        assertEquals(129012.0, d.spanUs());
        assertEquals(128515.0, d.busyUs());
        assertEquals(0.003852354819706694, d.idleRatio(), 1e-12);
        assertEquals(124310.0, d.computeBusyUs());
        assertEquals(113440.0, d.commBusyUs());
        assertEquals(109250.0, d.overlapNs() / 1000.0);
        assertEquals(0.9630641748942173, d.commOverlapRatio(), 1e-12);
        assertEquals(0.943919475660709, d.smOccupancyAvg(), 1e-9);
        assertEquals(36, d.commKernels());
        assertEquals(118193.0, d.streamBusyNs().get(7) / 1000.0);
        assertEquals(11355.0, d.streamBusyNs().get(23) / 1000.0);
        assertEquals(114521.0, d.streamBusyNs().get(27) / 1000.0);
        assertTrue(d.idleRatio() < 0.01, "idle well under 1% of the span");
        assertTrue(Math.abs(d.commOverlapRatio() - 0.96) < 0.005, "communication ≈ 96% overlapped");
    }

    /**
     * DeepEP's kernels on stream 27 are communication; its dispatch, combine and cached_notify
     * kernels hold 20 SMs each (grid 20). Two of its helper kernels launch fewer blocks
     * (get_dispatch_layout 16, notify_dispatch 9), as the script's {@code their_sms=[9, 16, 20]} shows.
     */
    @Test
    void shouldClassifyDeepEpOnStream27AsCommunicationWith20Sms() throws IOException {
        Trace t = TraceReader.read(SharedData.require("profile-data/train.json")).get(0);
        GpuEvents e = t.gpuEvents();
        TraceDevices classes = TraceDevices.of(t, AnalysisOptions.defaults());
        TreeSet<Integer> sms = new TreeSet<>();
        int deepEp = 0;
        for (int i = 0; i < e.size(); i++) {
            String name = t.names().name(e.nameId(i));
            if (!name.contains("dpsk::ep::")) {
                continue;
            }
            deepEp++;
            assertEquals(27, e.stream(i), name);
            assertEquals(KernelClass.COMMUNICATION, classes.classOf(i), name);
            int kernelSms = SmOccupancy.kernelSms(e.sms(i), e.gridBlocks(i), t.numSms(e.device(i)));
            sms.add(kernelSms);
            if (name.contains("::dispatch<") || name.contains("::combine<") || name.contains("::cached_notify<")) {
                assertEquals(20, kernelSms, name);
            }
        }
        assertEquals(36, deepEp);
        assertEquals(new TreeSet<>(List.of(9, 16, 20)), sms);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "1f1b; 383978.3193359375; 56922.533203125, 57120.302734375, 57085.71875, 55434.71484375; 0.14751045705072272",
            "torch_zbv; 758017.763671875; 38038.0498046875, 51060.951171875, 58689.720703125, 54853.7255859375; 0.06683301400616758",
    })
    void shouldMatchTheGpuTracesReadme(String schedule, double stepUs, String bubbles, double rate) throws IOException {
        Path dir = SharedData.require("gpu-traces/" + schedule);
        AnalysisOptions options = new AnalysisOptions(KernelClassifier.defaults(), "sim:STEP", 5);
        PipelineMetrics p = TraceMetrics.analyze(dir.toString(), TraceReader.read(dir), options).pipeline().orElseThrow();
        // The script sums float microseconds; parabench sums exact nanoseconds: they agree to 0.01 µs.
        assertEquals(stepUs, p.stepUs(), 0.01);
        String[] expected = bubbles.split(",");
        assertEquals(4, p.ranks().size());
        for (int r = 0; r < 4; r++) {
            assertEquals(r, p.ranks().get(r).rank());
            assertEquals(Double.parseDouble(expected[r].trim()), p.ranks().get(r).bubbleUs(), 0.01, "rank " + r);
        }
        assertEquals(rate, p.bubbleRate(), 1e-7);
        // and the default step finds sim:STEP by itself
        PipelineMetrics byDefault = TraceMetrics.analyze(dir.toString(), TraceReader.read(dir), AnalysisOptions.defaults())
                .pipeline().orElseThrow();
        assertEquals("sim:STEP", byDefault.stepAnnotation());
        assertEquals(p.ranks(), byDefault.ranks());
    }
}
