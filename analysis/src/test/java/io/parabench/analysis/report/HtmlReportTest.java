package io.parabench.analysis.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.data.general.DefaultPieDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    private static JFreeChart pie() {
        DefaultPieDataset<String> data = new DefaultPieDataset<>();
        data.setValue("a", 1);
        data.setValue("b", 2);
        return ChartFactory.createPieChart("pie", data);
    }

    @Test
    void shouldEscapeEveryTextPart() {
        String page = new HtmlReport("a <b> & 'c'").section("x<y").paragraph("1 < 2 & \"q\"")
                .table(List.of("<h>"), List.of(List.of("<td>"))).definitions(Map.of("<t>", "<d>")).render();
        assertFalse(page.contains("<b>"));
        assertFalse(page.contains("<h>") || page.contains("<t>") || page.contains("<d>"));
        assertTrue(page.contains("<title>a &lt;b&gt; &amp; &#39;c&#39;</title>"), page);
        assertTrue(page.contains("1 &lt; 2 &amp; &quot;q&quot;"));
        assertTrue(page.contains("<h2 id=\"x-y\">x&lt;y</h2>"));
    }

    @Test
    void shouldRightAlignNumbersOnly() {
        String page = new HtmlReport("t").table(List.of("a", "b", "c"), List.of(List.of("12.5", "n/a", "3 ms"))).render();
        assertTrue(page.contains("<td class=\"num\">12.5</td><td>n/a</td><td class=\"num\">3 ms</td>"), page);
    }

    @Test
    void shouldRejectARaggedTable() {
        HtmlReport r = new HtmlReport("t");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.table(List.of("a", "b"), List.of(List.of("1"))));
        assertTrue(e.getMessage().contains("table row (1 cells) must have as many cells as the header (2)"));
    }

    @Test
    void shouldGiveEachInlineChartItsOwnIdsSoClipPathsDoNotCollide() {
        String page = new HtmlReport("t").chart(pie(), 400, 300, "one").chart(pie(), 400, 300, "two").render();
        assertTrue(page.contains("<svg id='chart-0'"));
        assertTrue(page.contains("<svg id='chart-1'"));
        assertTrue(page.contains("c0_") && page.contains("c1_"), "defs keys carry a per-chart prefix");
        assertEquals(2, page.split("<figure class=\"chart\">", -1).length - 1);
    }

    @Test
    void shouldBeSelfContained() {
        String page = new HtmlReport("t").chart(pie(), 400, 300, "c").paragraph("p").render();
        assertFalse(page.contains(" src="), "nothing is fetched");
        assertFalse(page.matches("(?s).*<link.*"), "no external style sheet");
        assertFalse(page.matches("(?s).*<script.*"), "no script");
        assertFalse(page.contains("href=\"http") || page.contains("href='http"), "no links out");
    }

    @Test
    void shouldWriteAtomically(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sub/report.html");
        new HtmlReport("t").paragraph("p").write(out);
        assertTrue(Files.readString(out).startsWith("<!DOCTYPE html>"));
        try (var listing = Files.list(out.getParent())) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }
}
