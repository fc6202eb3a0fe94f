package io.parabench.analysis.chart;

import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.PipelineMetrics;
import io.parabench.analysis.metrics.PipelineTimeline;
import io.parabench.analysis.metrics.TraceMetrics;
import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import io.parabench.testing.SharedData;
import io.parabench.trace.ChromeTraceWriter;
import io.parabench.trace.DeviceProperties;
import io.parabench.trace.EventCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineGanttChartTest {
    private static final long US = 1000;

    @Test
    void shouldDrawTheSimulatorsOpTokensAndTheBubbleBetweenThem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sim.json");
        try (ChromeTraceWriter w = ChromeTraceWriter.open(file, List.of(new DeviceProperties(0, "rank 0", 0),
                new DeviceProperties(1, "rank 1", 0)), -1, 0)) {
            w.complete(EventCategory.KERNEL, "F0:0", 0, 0, 0, 10 * US);
            w.complete(EventCategory.KERNEL, "F0:1&B1:0", 0, 0, 30 * US, 20 * US);
            w.complete(EventCategory.KERNEL, "F0:0", 1, 0, 10 * US, 10 * US);
            w.complete(EventCategory.KERNEL, "W0:0", 1, 0, 20 * US, 30 * US);
        }
        List<Trace> traces = TraceReader.read(file);
        PipelineMetrics p = TraceMetrics.analyze("sim", traces, AnalysisOptions.defaults()).pipeline().orElseThrow();
        List<GanttBar> bars = PipelineGanttChart.bars(PipelineTimeline.of(traces, p, AnalysisOptions.defaults()));
        assertEquals(List.of(
                new GanttBar(0, 0, 10, "forward", "0"),
                new GanttBar(0, 30, 50, "forward & backward", "1|0"),
                new GanttBar(0, 10, 30, "bubble", ""),
                new GanttBar(1, 10, 20, "forward", "0"),
                new GanttBar(1, 20, 50, "weight gradient", "0"),
                new GanttBar(1, 0, 10, "bubble", "")), bars);
        assertTrue(PipelineGanttChart.create(PipelineTimeline.of(traces, p, AnalysisOptions.defaults()), null).getTitle().getText()
                .startsWith("Pipeline step 50.000 µs, bubble rate "));
    }

    /** 1F1B with 20 micro-batches: every rank runs 20 forwards and 20 backwards, each labelled by micro-batch. */
    @Test
    void shouldPlaceEveryForwardAndBackwardOfTheRealStep() throws IOException {
        Path dir = SharedData.require("gpu-traces/1f1b");
        List<Trace> traces = TraceReader.read(dir);
        PipelineMetrics p = TraceMetrics.analyze("1f1b", traces, AnalysisOptions.defaults()).pipeline().orElseThrow();
        List<GanttBar> bars = PipelineGanttChart.bars(PipelineTimeline.of(traces, p, AnalysisOptions.defaults()));
        for (int row = 0; row < 4; row++) {
            int r = row;
            Map<String, Long> counts = bars.stream().filter(b -> b.row() == r)
                    .collect(Collectors.groupingBy(GanttBar::category, Collectors.counting()));
            assertEquals(20L, counts.get("forward"), "rank " + row + ": " + counts);
            assertEquals(20L, counts.get("backward"), "rank " + row + ": " + counts);
            assertEquals(20, bars.stream().filter(b -> b.row() == r && !b.category().equals("bubble"))
                    .map(GanttBar::label).distinct().count(), "labels are the micro-batches 0..19");
        }
        for (GanttBar b : bars) {
            assertTrue(b.startUs() >= 0 && b.endUs() <= p.stepUs() + 1e-9, "inside the window: " + b);
        }
    }
}
