package io.parabench.analysis.chart;

/**
 * One bar of a {@link GanttChart}: an interval of work on one row (a rank, a device or a
 * stream).
 *
 * @param row      row index, 0 at the top
 * @param startUs  start in microseconds
 * @param endUs    end in microseconds, {@code >= startUs}
 * @param category what kind of work it is (picks the colour and the legend entry)
 * @param label    text drawn inside the bar when it fits, e.g. the micro-batch; may be empty
 */
public record GanttBar(int row, double startUs, double endUs, String category, String label) {
    public GanttBar {
        if (row < 0) {
            throw new IllegalArgumentException("gantt row (" + row + ") must be >= 0");
        }
        if (!(endUs >= startUs)) {
            throw new IllegalArgumentException("gantt bar end (" + endUs + ") must be >= start (" + startUs + ")");
        }
    }
}
