package io.parabench.analysis.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanttChartTest {

    @Test
    void shouldDrawOneSeriesPerCategoryWithLabelsAndColours() {
        Map<String, Color> colours = new LinkedHashMap<>();
        colours.put("F", Color.ORANGE);
        colours.put("B", Color.GREEN);
        List<GanttBar> bars = List.of(
                new GanttBar(0, 0, 1, "F", "0"),
                new GanttBar(1, 1, 2, "F", "0"),
                new GanttBar(1, 2, 4, "B", "0"),
                new GanttBar(0, 4, 5, "W", "7"));
        JFreeChart chart = GanttChart.create("t", List.of("rank 0", "rank 1"), bars, colours, "time (µs)");
        XYPlot plot = chart.getXYPlot();
        assertEquals(3, plot.getDataset().getSeriesCount(), "F, B and the uncoloured W");
        assertEquals(Color.GREEN, plot.getRenderer().getSeriesPaint(1));
        assertEquals(GanttChart.DEFAULT_COLOUR, plot.getRenderer().getSeriesPaint(2));
        String svg = ChartFiles.svg(chart, 600, 200);
        assertTrue(svg.contains(">7<"), "the W bar's label is drawn");
        assertTrue(svg.contains("rank 1"));
    }

    @Test
    void shouldRejectBarOutsideRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GanttChart.create("t",
                List.of("rank 0"), List.of(new GanttBar(3, 0, 1, "F", "")), Map.of(), "time"));
        assertTrue(e.getMessage().contains("row (3)"));
    }
}
