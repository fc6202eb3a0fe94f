package io.parabench.analysis.chart;

import io.parabench.pipeline.CostModel;
import io.parabench.pipeline.ScheduleKind;
import io.parabench.pipeline.Simulator;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleGanttChartTest {

    private static List<String> series(JFreeChart chart) {
        XYIntervalSeriesCollection data = (XYIntervalSeriesCollection) chart.getXYPlot().getDataset();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            names.add(data.getSeriesKey(i).toString());
        }
        return names;
    }

    @Test
    void shouldShadeEachDualPipeDirectionApart() {
        JFreeChart chart = ScheduleGanttChart.create(Simulator.simulate(ScheduleKind.DUALPIPE.generate(4, 8),
                CostModel.of(1, 2, 1, 1, 3, 0)));
        List<String> names = series(chart);
        assertTrue(names.containsAll(List.of("F chunk 0", "F chunk 1", "F&B chunk 0", "F&B chunk 1")), names.toString());
        int f0 = names.indexOf("F chunk 0");
        int f1 = names.indexOf("F chunk 1");
        assertNotEquals(chart.getXYPlot().getRenderer().getSeriesPaint(f0), chart.getXYPlot().getRenderer().getSeriesPaint(f1));
    }

    @Test
    void shouldUsePlainKindsForOneChunkPerRank() {
        JFreeChart chart = ScheduleGanttChart.create(Simulator.simulate(ScheduleKind.ZB1P.generate(4, 8),
                CostModel.of(1, 2, 1, 1, Double.NaN, 0)));
        assertEquals(List.of("F", "b", "W"), series(chart));
    }
}
