package io.parabench.analysis.chart;

import io.parabench.output.AtomicFile;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Renders a JFreeChart as SVG (JFreeSVG, for the HTML reports: vector, inline, no network) or
 * PNG (for the README and quick looks), and writes it atomically. The format follows the file
 * extension so that every {@code --chart out.svg|out.png} option behaves the same.
 */
public final class ChartFiles {
    private ChartFiles() {
    }

    /** The chart as a standalone SVG document (also fit for inlining in HTML). */
    public static String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGElement();
    }

    /**
     * Checks a chart option before any work starts.
     *
     * @param option the option's name for the message, e.g. {@code --chart}
     * @param path   the file, or null when the option was not given
     * @throws IllegalArgumentException naming option and value when the extension is neither
     *                                  {@code .svg} nor {@code .png}
     */
    public static void requireChartExtension(String option, Path path) {
        if (path == null) {
            return;
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".svg") && !name.endsWith(".png")) {
            throw new IllegalArgumentException(option + " (" + path + ") must end in .svg or .png");
        }
    }

    /** The chart as PNG onto {@code out} (left open), e.g. a file of a {@code FileSet}. */
    public static void writePng(JFreeChart chart, java.io.OutputStream out, int width, int height) {
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Writes the chart to {@code path} as SVG ({@code .svg}) or PNG ({@code .png}).
     *
     * @throws IllegalArgumentException when the extension is neither
     */
    public static void write(JFreeChart chart, Path path, int width, int height) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            AtomicFile.writeString(path, svg(chart, width, height));
        } else if (name.endsWith(".png")) {
            AtomicFile.write(path, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
        } else {
            throw new IllegalArgumentException("chart file (" + path + ") must end in .svg or .png");
        }
    }
}
