package io.parabench.analysis.report;

import io.parabench.analysis.TestTraces;
import io.parabench.analysis.cli.Parabench;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceReportTest {
    static int run(StringWriter out, StringWriter err, String... args) {
        return Parabench.execute(args, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void shouldPutTheSummaryFirstThenDefinitionsAndEveryChart(@TempDir Path dir) throws IOException {
        Path traces = TestTraces.twoRankDirectory(Files.createDirectory(dir.resolve("traces")));
        Path html = dir.resolve("out/report.html");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, run(out, err, "report", "--trace", traces.toString(), "--out", html.toString()), err.toString());
        assertEquals(html.toString(), out.toString().strip());
        String page = Files.readString(html);
        int summary = page.indexOf("<h2 id=\"summary\">");
        assertTrue(summary > 0);
        assertTrue(summary < page.indexOf("<figure"), "summary table before any chart");
        assertTrue(summary < page.indexOf("<h2 id=\"definitions\">"));
        // overlap + pipeline Gantt + per device (2): stream timeline, SM occupancy, kernel breakdown
        assertEquals(8, page.split("<figure class=\"chart\">", -1).length - 1);
        assertTrue(page.contains("Pipeline step"));
        assertTrue(page.contains("test GPU &lt;&amp;&gt;"), "device names are escaped");
        assertTrue(page.contains("deep_ep::internode::dispatch&lt;…&gt;"), "kernel names shortened in the tables");
        assertTrue(page.contains("|union(computation) ∩ union(communication)| ÷ |union(communication)|"),
                "definitions are in the report");
    }

    @Test
    void shouldAppendAJfrSummaryWhenGivenARecording(@TempDir Path dir) throws IOException {
        Path traces = TestTraces.twoRankDirectory(Files.createDirectory(dir.resolve("traces")));
        Path jfr = dir.resolve("run.jfr");
        try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
            r.enable("jdk.GarbageCollection");
            r.start();
            System.gc();
            r.stop();
            r.dump(jfr);
        }
        Path html = dir.resolve("r.html");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, run(out, err, "report", "--trace", traces.toString(), "--jfr", jfr.toString(),
                "--out", html.toString(), "--title", "with JFR"), err.toString());
        String page = Files.readString(html);
        assertTrue(page.contains("<title>with JFR</title>"));
        assertTrue(page.indexOf("JFR recording run.jfr") > page.indexOf("<h2 id=\"summary\">"));
        assertTrue(page.contains("Hot methods (top frame of execution samples)"));
        assertTrue(page.contains("<th>GC pause total (ms)</th>"));
    }

    @Test
    void shouldAlsoWriteEveryChartAsPngWhenAsked(@TempDir Path dir) throws IOException {
        Path traces = TestTraces.twoRankDirectory(Files.createDirectory(dir.resolve("traces")));
        Path png = dir.resolve("png");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, run(out, err, "report", "--trace", traces.toString(), "--out", dir.resolve("r.html").toString(),
                "--png-dir", png.toString()), err.toString());
        try (var files = Files.list(png)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(8, names.size(), names.toString());
            assertTrue(names.get(0).startsWith("parabench-00-where-the-span-goes"), names.toString());
            assertTrue(names.get(1).startsWith("parabench-01-pipeline-step"), names.toString());
        }
    }

    /** Name → bytes of every entry of {@code dir}, and the entries beside it (a staging directory would show). */
    private static java.util.Map<String, String> snapshot(Path dir) throws IOException {
        java.util.Map<String, String> files = new java.util.TreeMap<>();
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                files.put(p.getFileName().toString(), Files.isRegularFile(p)
                        ? java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))) : "dir");
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (var siblings = Files.list(dir.getParent())) {
            siblings.forEach(p -> files.put("../" + p.getFileName(), ""));
        }
        return files;
    }

    // Issue 11 item 3 for report --png-dir: a report that fails after its charts were drawn wrote
    // them one by one and left the new PNGs beside the old run's.
    @Test
    void shouldLeaveThePngFolderAsItWasWhenTheReportFailsMidSet(@TempDir Path dir) throws IOException {
        Path traces = TestTraces.twoRankDirectory(Files.createDirectory(dir.resolve("traces")));
        Path png = Files.createDirectory(dir.resolve("out")).resolve("png");
        Path html = dir.resolve("out/r.html");
        assertEquals(0, run(new StringWriter(), new StringWriter(), "report", "--trace", traces.toString(), "--out",
                html.toString(), "--png-dir", png.toString()));
        Files.writeString(png.resolve("01-overview.png"), "the user's own picture");
        Files.writeString(png.resolve("parabench-99-from-an-older-run.png"), "an older run's chart");
        Files.writeString(html, "the earlier page");
        java.util.Map<String, String> before = snapshot(png);
        Path badJfr = Files.write(dir.resolve("bad.jfr"), new byte[] {'F', 'L', 'R', 0, 9, 9, 9, 9, 1, 2, 3});

        StringWriter err = new StringWriter();
        // the charts are drawn (8 PNGs into the set), then the JFR recording fails to read
        int exit = run(new StringWriter(), err, "report", "--trace", traces.toString(), "--out", html.toString(),
                "--png-dir", png.toString(), "--force", "--jfr", badJfr.toString());
        assertEquals(Parabench.EXIT_BAD_INPUT, exit, err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertEquals(before, snapshot(png), "the folder and its neighbours as before");
        assertEquals("the earlier page", Files.readString(html));
    }

    @Test
    void shouldReplaceItsOwnPngsAndLeaveOtherFilesAlone(@TempDir Path dir) throws IOException {
        Path traces = TestTraces.twoRankDirectory(Files.createDirectory(dir.resolve("traces")));
        Path png = Files.createDirectory(dir.resolve("docs"));
        Files.writeString(png.resolve("01-overview.png"), "the user's own picture");
        Files.writeString(png.resolve("parabench-99-from-an-older-run.png"), "an older run's chart");
        String[] args = {"report", "--trace", traces.toString(), "--out", dir.resolve("r.html").toString(),
                "--png-dir", png.toString()};

        StringWriter err = new StringWriter();
        assertEquals(Parabench.EXIT_BAD_INPUT, run(new StringWriter(), err, args));
        assertTrue(err.toString().contains("cannot write into " + png + ": it holds 1 file(s) that are not outputs of"
                + " this command (01-overview.png); choose an empty or new directory, or pass --force"), err.toString());
        assertFalse(Files.exists(dir.resolve("r.html")), "refused before any work");

        String[] forced = java.util.Arrays.copyOf(args, args.length + 1);
        forced[args.length] = "--force";
        assertEquals(0, run(new StringWriter(), new StringWriter(), forced));
        try (var files = Files.list(png)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(9, names.size(), "8 charts and the user's file: " + names);
            assertEquals("01-overview.png", names.get(0));
            assertTrue(names.stream().skip(1).allMatch(n -> n.startsWith("parabench-0")), names.toString());
        }
        assertEquals("the user's own picture", Files.readString(png.resolve("01-overview.png")));
    }

    @Test
    void shouldRejectAnOutputThatIsNotHtml(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = run(out, err, "report", "--trace", dir.toString(), "--out", dir.resolve("r.txt").toString());
        assertEquals(Parabench.EXIT_BAD_INPUT, exit);
        assertTrue(err.toString().contains("--out (" + dir.resolve("r.txt") + ") must end in .html"), err.toString());
    }

    @Test
    void shouldWriteNothingWhenATraceIsBad(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"traceEvents\":[{\"ph\":");
        Path html = dir.resolve("r.html");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(Parabench.EXIT_BAD_INPUT, run(out, err, "report", "--trace", bad.toString(), "--out", html.toString()));
        assertFalse(Files.exists(html));
        assertTrue(err.toString().contains("byte offset"), err.toString());
    }
}
