package io.parabench.analysis.report;

import io.parabench.analysis.chart.ChartFiles;
import io.parabench.output.AtomicFile;
import io.parabench.output.FileSet;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds one self-contained HTML page: headings, paragraphs, tables, definition lists and
 * charts inlined as SVG, with a small embedded style sheet and no script, font or image fetched
 * from anywhere, so a report opens offline and can be mailed or archived as one file. Not
 * specific to traces: the trace report and the JMH report both build on it.
 *
 * <p>All text is HTML-escaped here; only the SVG of charts is inserted as markup. Each chart's
 * SVG gets its own id prefix, because JFreeSVG names its clip paths {@code clip-0, clip-1, …}
 * and several charts in one page would otherwise clip each other's plots.
 *
 * <p>Usage: {@code new HtmlReport("title").section("Summary").table(headers, rows).write(path)}.
 * Not thread-safe; output is deterministic for the same calls.
 */
public final class HtmlReport {
    private static final String STYLE = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1200px;"
                    + "padding:0 1em;color:#222;line-height:1.45}",
            "h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.2em;border-bottom:1px solid #ddd;padding-bottom:.2em}",
            "table{border-collapse:collapse;margin:.8em 0;font-size:.92em}",
            "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}",
            "th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}",
            "figure.chart{margin:1em 0}figure.chart svg{display:block;max-width:100%;height:auto}",
            "figcaption{font-size:.88em;color:#555}dl{margin:.5em 0}dt{font-weight:600}dd{margin:0 0 .5em 1.5em}",
            "pre{background:#f6f6f6;padding:.6em;overflow-x:auto}.note{color:#555;font-size:.9em}",
            ".banner{padding:.5em .8em;border-radius:4px;font-weight:600;margin:.4em 0}",
            ".banner.pass{background:#e3f4e1;border:1px solid #7fbf7b}.banner.fail{background:#fbe3e3;border:1px solid #d77}",
            ".banner.none{background:#f3f3f3;border:1px solid #bbb}",
            ".grid{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:.6em;align-items:start}",
            ".grid figure.chart{margin:0}.grid .wide{grid-column:span 2}.grid figcaption{font-size:.78em;line-height:1.3}",
            "details{margin:.4em 0}summary{cursor:pointer;color:#345}",
            "table.compact{font-size:.85em;width:100%}table.compact td{word-break:break-word}");

    private final String title;
    private final List<String> parts = new ArrayList<>();
    private int charts;
    private FileSet pngFiles;
    private boolean wideNext;

    /** A report with this {@code <title>} and top heading. */
    public HtmlReport(String title) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("report title must not be blank");
        }
        this.title = title;
    }

    /**
     * Names of the PNG files {@link #alsoWritePngTo} writes: {@code parabench-NN-title.png}. The
     * prefix is what makes a file this tool's: a later run into the same folder replaces and
     * removes those, and leaves every other file alone (people point {@code --png-dir} at
     * {@code docs/}, where {@code 01-overview.png} is theirs).
     */
    public static final java.util.regex.Pattern PNG_FAMILY =
            java.util.regex.Pattern.compile("parabench-\\d{2,}-[a-z0-9-]+\\.png");

    /**
     * Also writes every chart added from now on as a PNG into {@code set}, named as
     * {@link #PNG_FAMILY} says (for slides, README files and issue comments). The caller commits
     * the set once the page is complete, so a failed report leaves the folder as it was.
     */
    public HtmlReport alsoWritePngTo(FileSet set) {
        this.pngFiles = set;
        return this;
    }

    /** Escapes text for HTML element content and attribute values. */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '"': sb.append("&quot;"); break;
                case '\'': sb.append("&#39;"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A second-level heading with an anchor derived from its text. */
    public HtmlReport section(String heading) {
        parts.add("<h2 id=\"" + anchor(heading) + "\">" + escape(heading) + "</h2>");
        return this;
    }

    /** A third-level heading. */
    public HtmlReport subsection(String heading) {
        parts.add("<h3>" + escape(heading) + "</h3>");
        return this;
    }

    public HtmlReport paragraph(String text) {
        parts.add("<p>" + escape(text) + "</p>");
        return this;
    }

    /** A de-emphasised paragraph (provenance, caveats). */
    public HtmlReport note(String text) {
        parts.add("<p class=\"note\">" + escape(text) + "</p>");
        return this;
    }

    public HtmlReport preformatted(String text) {
        parts.add("<pre>" + escape(text) + "</pre>");
        return this;
    }

    /** A definition list, in map order. */
    public HtmlReport definitions(Map<String, String> terms) {
        StringBuilder sb = new StringBuilder("<dl>");
        terms.forEach((term, meaning) -> sb.append("<dt>").append(escape(term)).append("</dt><dd>")
                .append(escape(meaning)).append("</dd>"));
        parts.add(sb.append("</dl>").toString());
        return this;
    }

    /**
     * A table. Cells that look like numbers are right-aligned.
     *
     * @throws IllegalArgumentException when a row has another number of cells than the header
     */
    public HtmlReport table(List<String> headers, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("<table><thead><tr>");
        for (String h : headers) {
            sb.append("<th>").append(escape(h)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            if (row.size() != headers.size()) {
                throw new IllegalArgumentException("table row (" + row.size() + " cells) must have as many cells as"
                        + " the header (" + headers.size() + ")");
            }
            sb.append("<tr>");
            for (String cell : row) {
                sb.append(isNumber(cell) ? "<td class=\"num\">" : "<td>").append(escape(cell)).append("</td>");
            }
            sb.append("</tr>");
        }
        parts.add(sb.append("</tbody></table>").toString());
        return this;
    }

    /** A one-line outcome in a coloured box: {@code pass}, {@code fail} or {@code none} (neutral). */
    public HtmlReport banner(String text, String kind) {
        if (!kind.equals("pass") && !kind.equals("fail") && !kind.equals("none")) {
            throw new IllegalArgumentException("banner kind (" + kind + ") must be pass, fail or none");
        }
        parts.add("<div class=\"banner " + kind + "\">" + escape(text) + "</div>");
        return this;
    }

    /** Content folded away under a one-line summary ({@code <details>}); opens on a click, no script. */
    public HtmlReport folded(String summary, java.util.function.Consumer<HtmlReport> body) {
        parts.add("<details><summary>" + escape(summary) + "</summary>");
        body.accept(this);
        parts.add("</details>");
        return this;
    }

    /**
     * Charts laid out three to a row (a dashboard); inside, {@link #wide()} makes the next
     * chart span two columns.
     */
    public HtmlReport grid(java.util.function.Consumer<HtmlReport> body) {
        parts.add("<div class=\"grid\">");
        body.accept(this);
        parts.add("</div>");
        return this;
    }

    /** The next chart spans two columns of its {@link #grid}. */
    public HtmlReport wide() {
        wideNext = true;
        return this;
    }

    /** A table in a smaller font that wraps long cells instead of running off the page. */
    public HtmlReport compactTable(List<String> headers, List<List<String>> rows) {
        table(headers, rows);
        String last = parts.remove(parts.size() - 1);
        parts.add(last.replaceFirst("^<table>", "<table class=\"compact\">"));
        return this;
    }

    /** A chart rendered to inline SVG at the given size (CSS scales it down on narrow screens). */
    public HtmlReport chart(JFreeChart chart, int width, int height, String caption) {
        if (pngFiles != null) {
            String name = chart.getTitle() == null ? "chart" : anchor(chart.getTitle().getText());
            name = name.length() > 60 ? name.substring(0, 60).replaceAll("-$", "") : name;
            ChartFiles.writePng(chart, pngFiles.create(String.format(java.util.Locale.ROOT, "parabench-%02d-%s.png",
                    charts, name)), width, height);
        }
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix("c" + charts + "_");
        chart.draw(g, new Rectangle(0, 0, width, height));
        // a viewBox lets the browser scale the chart into a narrower column instead of clipping it
        return svg(g.getSVGElement("chart-" + charts, true, new org.jfree.svg.ViewBox(0, 0, width, height), null, null),
                caption);
    }

    /** Inline SVG markup (trusted: produced by the caller, not user text) with a caption. */
    public HtmlReport svg(String svgElement, String caption) {
        if (!svgElement.stripLeading().startsWith("<svg")) {
            throw new IllegalArgumentException("inline SVG must start with <svg");
        }
        charts++;
        String figure = wideNext ? "<figure class=\"chart wide\">" : "<figure class=\"chart\">";
        wideNext = false;
        parts.add(figure + svgElement + (caption == null || caption.isEmpty() ? ""
                : "<figcaption>" + escape(caption) + "</figcaption>") + "</figure>");
        return this;
    }

    /** The page. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(STYLE)
                .append("\n</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        for (String part : parts) {
            sb.append(part).append('\n');
        }
        return sb.append("</body>\n</html>\n").toString();
    }

    /** Writes the page atomically (temporary file, then move). */
    public void write(Path path) {
        AtomicFile.writeString(path, render());
    }

    private static boolean isNumber(String cell) {
        return cell.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?(e[-+]?[0-9]+)?\\s*(%|µs|ms|s|MB/s|ns)?");
    }

    private static String anchor(String heading) {
        String a = heading.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return a.isEmpty() ? "section" : a;
    }
}
