package io.parabench.analysis.chart;

import io.parabench.analysis.TestTraces;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.DeviceMetrics;
import io.parabench.analysis.metrics.KernelClassifier;
import io.parabench.analysis.metrics.StreamActivity;
import io.parabench.analysis.metrics.TraceDevices;
import io.parabench.analysis.metrics.TraceMetrics;
import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceChartsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "void dpsk::ep::internode::combine<false, 8, __nv_bfloat16, 8, 2, 16, 24>(int4*, float*, bool*)|dpsk::ep::internode::combine<…>",
            "ncclDevKernel_SendRecv(ncclDevKernelArgsStorage<4096ul>)|ncclDevKernel_SendRecv",
            "void (anonymous namespace)::elementwise_kernel_with_index<int, at::native::arange>(int, float*)|(anonymous namespace)::elementwise_kernel_with_index<…>",
            "rotary_kernel|rotary_kernel",
            "Memcpy DtoD (Device -> Device)|Memcpy DtoD",
    })
    void shouldShortenKernelNames(String name, String expected) {
        assertEquals(expected, KernelNames.shorten(name));
    }

    @Test
    void shouldCapLabelLength() {
        String s = KernelNames.shorten("a".repeat(200));
        assertEquals(KernelNames.MAX_LENGTH, s.length());
        assertTrue(s.endsWith("…"));
    }

    private static DeviceMetrics firstDevice(List<Trace> traces) {
        return TraceMetrics.analyze("t", traces, AnalysisOptions.defaults()).devices().get(0);
    }

    @Test
    void shouldSplitTheSpanIntoPartsThatAddUp(@TempDir Path dir) throws IOException {
        List<Trace> traces = TraceReader.read(TestTraces.twoRankDirectory(dir));
        DeviceMetrics d = firstDevice(traces);
        long[] parts = OverlapChart.parts(d);
        long sum = 0;
        for (long p : parts) {
            assertTrue(p >= 0);
            sum += p;
        }
        assertEquals(d.spanNs(), sum);
        assertEquals(d.overlapNs(), parts[1]);
    }

    @Test
    void shouldDrawOneRowPerStreamAndBridgeTinyGaps(@TempDir Path dir) throws IOException {
        List<Trace> traces = TraceReader.read(TestTraces.twoRankDirectory(dir));
        DeviceMetrics d = firstDevice(traces);
        List<StreamActivity> activity = StreamActivity.of(TraceDevices.of(traces.get(0), AnalysisOptions.defaults()).device(d.device()));
        List<GanttBar> bars = StreamTimelineChart.bars(d, activity, List.of(7, 20));
        // stream 7: gemm+gelu back to back per micro-batch (3 bars) and the memset; stream 20: 3 dispatches
        assertEquals(3, bars.stream().filter(b -> b.row() == 0 && b.category().equals("computation")).count());
        assertEquals(1, bars.stream().filter(b -> b.row() == 0 && b.category().equals("memory")).count());
        assertEquals(3, bars.stream().filter(b -> b.row() == 1 && b.category().equals("communication")).count());
        assertEquals(0.0, bars.get(0).startUs());
    }

    @Test
    void shouldRenderEveryTraceChart(@TempDir Path dir) throws IOException {
        List<Trace> traces = TraceReader.read(TestTraces.twoRankDirectory(Files.createDirectory(dir.resolve("t"))));
        DeviceMetrics d = firstDevice(traces);
        List<JFreeChart> charts = List.of(SmOccupancyChart.create(d), KernelBreakdownChart.create(d),
                OverlapChart.create(List.of(d)),
                StreamTimelineChart.create(d, StreamActivity.of(TraceDevices.of(traces.get(0), AnalysisOptions.defaults()).device(d.device()))));
        int n = 0;
        for (JFreeChart chart : charts) {
            Path png = dir.resolve("chart" + n++ + ".png");
            ChartFiles.write(chart, png, 800, 400);
            assertTrue(Files.size(png) > 1000, "a real image: " + png);
            assertTrue(ChartFiles.svg(chart, 800, 400).contains("</svg>"));
        }
    }
}
