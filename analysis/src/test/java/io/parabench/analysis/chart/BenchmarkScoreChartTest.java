package io.parabench.analysis.chart;

import io.parabench.analysis.read.BenchmarkRun;
import io.parabench.analysis.read.JmhResultFixture;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class BenchmarkScoreChartTest {
    @TempDir
    Path dir;

    @Test
    void shouldStartTheScoreAxisAtZeroEvenWhenAnIntervalReachesBelow() throws Exception {
        BenchmarkRun run = JmhResultFixture.run(dir, "t", "quick",
                JmhResultFixture.entry(16, "thrpt", 100, 150, "ops/s", 1),
                JmhResultFixture.entry(64, "thrpt", 50, 5, "ops/s", 1));
        JFreeChart chart = BenchmarkScoreChart.create("s", run.results());
        NumberAxis axis = assertInstanceOf(NumberAxis.class, chart.getCategoryPlot().getRangeAxis());
        assertEquals(0, axis.getLowerBound());
        assertEquals(250 * 1.05, axis.getUpperBound(), 1e-9);
    }

    @Test
    void shouldUseALogAxisWhenScoresSpanMoreThanTwoDecades() throws Exception {
        BenchmarkRun run = JmhResultFixture.run(dir, "t", "quick",
                JmhResultFixture.entry(16, "avgt", 0.45, 0.02, "ms/op", 1),
                JmhResultFixture.entry(64, "avgt", 200, 10, "ms/op", 1));
        JFreeChart chart = BenchmarkScoreChart.create("s", run.results());
        LogAxis axis = assertInstanceOf(LogAxis.class, chart.getCategoryPlot().getRangeAxis());
        assertEquals(0.225, axis.getLowerBound(), 1e-9);
    }
}
