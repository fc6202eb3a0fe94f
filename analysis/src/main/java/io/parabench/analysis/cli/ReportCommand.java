package io.parabench.analysis.cli;

import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.rank.LocalRanks;
import io.parabench.analysis.read.JfrSummaryReader;
import io.parabench.analysis.read.Trace;
import io.parabench.analysis.read.TraceReader;
import io.parabench.analysis.report.HtmlReport;
import io.parabench.analysis.report.JfrReportSection;
import io.parabench.analysis.report.TraceReport;
import io.parabench.output.FileSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code parabench report --trace FILE|DIR … --out reports/NAME.html}: one self-contained HTML
 * page with the summary table, the metric definitions and the charts of each trace, plus an
 * optional JFR summary. Prints the path written.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report (inline SVG charts, no network) of one or more traces.")
public final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--trace", paramLabel = "FILE|DIR", required = true,
            description = "trace file (.json or .json.gz) or directory of per-rank traces; repeatable")
    List<Path> traces;

    @Option(names = "--out", paramLabel = "FILE.html", required = true, description = "report to write, e.g. reports/train.html")
    Path out;

    @Option(names = "--title", description = "page title (default: Trace report: <first trace>)")
    String title;

    @Option(names = "--jfr", paramLabel = "FILE.jfr", description = "also summarise this JFR recording")
    Path jfr;

    @Option(names = "--png-dir", paramLabel = "DIR",
            description = "also write every chart as a PNG into DIR (parabench-NN-title.png, all or none: the set"
                    + " replaces this tool's PNGs of an earlier run)")
    Path pngDir;

    @Option(names = "--force", description = "with --png-dir: write into DIR even when it holds other files (they stay)")
    boolean force;

    @Mixin
    TraceAnalysisOptions analysis;

    @Override
    public Integer call() throws IOException {
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".html")) {
            throw new IllegalArgumentException("--out (" + out + ") must end in .html");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out (" + out + ") must be a file, not a directory");
        }
        if (pngDir != null && Files.exists(pngDir) && !Files.isDirectory(pngDir)) {
            throw new IllegalArgumentException("--png-dir (" + pngDir + ") must be a directory");
        }
        AnalysisOptions options = analysis.analysisOptions();
        // opened before any work: a folder holding other files is refused at once (unless --force)
        try (FileSet png = pngDir == null ? null : FileSet.open(pngDir, HtmlReport.PNG_FAMILY, force)) {
            List<TraceReport.Input> inputs = new ArrayList<>();
            for (Path path : traces) {
                List<Trace> read = TraceReader.read(path);
                inputs.add(new TraceReport.Input(read, LocalRanks.analyze(path.toString(), read, options,
                        LocalRanks.DEFAULT_THREADS)));
            }
            HtmlReport page = new HtmlReport(title != null ? title : "Trace report: " + traces.get(0).getFileName());
            if (png != null) {
                page.alsoWritePngTo(png);
            }
            HtmlReport report = TraceReport.build(page, inputs, options);
            if (jfr != null) {
                JfrReportSection.append(report, "JFR recording " + jfr.getFileName(), JfrSummaryReader.read(jfr));
            }
            // the charts move into place once the whole page is built; a failure before leaves DIR as it was
            if (png != null) {
                png.commit();
            }
            report.write(out);
        }
        spec.commandLine().getOut().println(out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
