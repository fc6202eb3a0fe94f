package io.parabench.analysis.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.ui.Layer;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExpertLoadChartTest {
    private static final double[] BEFORE = {10, 0, 0, 0, 2, 2, 2, 0};
    private static final double[] AFTER = {2, 2, 2, 2, 2, 2, 2, 2};

    @Test
    void shouldDrawBeforeAndAfterPerGpuLabelledByNode() {
        JFreeChart chart = ExpertLoadChart.create("t", BEFORE, AFTER, 2, "after (reference)");
        CategoryPlot plot = chart.getCategoryPlot();
        CategoryDataset data = plot.getDataset();
        assertEquals(2, data.getRowCount());
        assertEquals(8, data.getColumnCount());
        assertEquals("n0/g1", data.getColumnKey(1));
        assertEquals("n3/g7", data.getColumnKey(7));
        assertEquals(10.0, data.getValue(0, 0).doubleValue());
        assertEquals("after (reference)", data.getRowKey(1));
        // nodes 1 and 3 (GPUs 2, 3, 6, 7) are shaded
        assertEquals(4, plot.getDomainMarkers(Layer.BACKGROUND).size());
        ValueMarker mean = (ValueMarker) plot.getRangeMarkers(Layer.FOREGROUND).iterator().next();
        assertEquals(2.0, mean.getValue());
    }

    @Test
    void shouldRejectMismatchedSeries() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExpertLoadChart.create("t", BEFORE, new double[3], 2, "after"));
        assertEquals("GPU counts before (8) and after (3) must be equal and > 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExpertLoadChart.create("t", BEFORE, AFTER, 3, "after"));
    }
}
