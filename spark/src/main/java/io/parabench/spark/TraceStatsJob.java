package io.parabench.spark;

import io.parabench.analysis.cli.TraceAnalysisOptions;
import io.parabench.analysis.cli.TraceStatsCommand;
import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.report.TraceReport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The Spark job: {@code spark-submit --class io.parabench.spark.TraceStatsJob parabench-spark.jar
 * INPUT --out OUT}. Analyses every trace file INPUT names (one task per file, see
 * {@link SparkRanks}) and writes {@code OUT/trace-stats.json}, the document
 * {@code parabench trace-stats --format json} prints for the same files, through OUT's file system
 * (written under a temporary name, then renamed); with {@code --report} also
 * {@code OUT/report.html}. Bad input ends the job with one line on stderr
 * naming the file and exit code 2.
 */
@Command(name = "TraceStatsJob", mixinStandardHelpOptions = true,
        description = "Analyse a directory or glob of per-rank PyTorch-profiler traces on Spark: the JSON of"
                + " trace-stats --format json, written to OUT/trace-stats.json.")
public final class TraceStatsJob implements Callable<Integer> {
    /** The JSON file the job writes into OUT. */
    public static final String JSON_FILE = "trace-stats.json";
    /** The HTML report the job writes into OUT with --report. */
    public static final String REPORT_FILE = "report.html";

    @Parameters(index = "0", paramLabel = "INPUT",
            description = "directory, file or glob of *.json / *.json.gz traces on any Hadoop file system"
                    + " (file:, hdfs:, s3a: …)")
    String input;

    @Option(names = "--out", paramLabel = "OUT", required = true,
            description = "output directory (any Hadoop file system); the job writes OUT/" + JSON_FILE)
    String out;

    /** The options of trace-stats that shape the numbers (--step, --comm-pattern, --classifier …), so the JSON matches. */
    @Mixin
    TraceAnalysisOptions analysis;

    @Option(names = "--report", description = "also write OUT/" + REPORT_FILE + ": the HTML report of trace-stats,"
            + " built from the per-rank summaries (no per-stream timelines or pipeline chart, which need the events)")
    boolean report;

    private SparkSession spark;

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("parabench trace-stats").getOrCreate();
        int exit;
        try {
            exit = run(spark, args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        } finally {
            spark.stop();
        }
        System.exit(exit);
    }

    /** Runs the job on a session the caller owns; bad input is one line on {@code err} and exit code 2. */
    public static int run(SparkSession spark, String[] args, PrintWriter out, PrintWriter err) {
        TraceStatsJob job = new TraceStatsJob();
        job.spark = spark;
        CommandLine cli = new CommandLine(job).setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, ignored) -> {
            err.println("TraceStatsJob: " + e.getMessage() + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IOException) {
                err.println("TraceStatsJob: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        AnalysisOptions options = analysis.analysisOptions();
        Path dir = new Path(out);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        FileSystem fs = dir.getFileSystem(conf);
        if (fs.exists(dir) && !fs.getFileStatus(dir).isDirectory()) {
            throw new IllegalArgumentException("--out (" + out + ") must be a directory, not a file");
        }
        SparkRanks.Run run = SparkRanks.analyze(spark, input, options);
        System.err.println("TraceStatsJob: " + run.describe());
        System.err.println("TraceStatsJob: wrote " + write(fs, dir, JSON_FILE, TraceStatsCommand.json(run.summary()) + "\n"));
        if (report) {
            String html = TraceReport.build("Trace report: " + input,
                    List.of(new TraceReport.Input(List.of(), run.summary())), options).render();
            System.err.println("TraceStatsJob: wrote " + write(fs, dir, REPORT_FILE, html));
        }
        return 0;
    }

    /** Writes under a hidden temporary name, then renames, so OUT never holds half a file. */
    private static Path write(FileSystem fs, Path dir, String name, String content) throws IOException {
        fs.mkdirs(dir);
        Path target = new Path(dir, name);
        Path temp = new Path(dir, "." + name + ".tmp");
        try (FSDataOutputStream stream = fs.create(temp, true)) {
            stream.write(content.getBytes(StandardCharsets.UTF_8));
        }
        if (fs.exists(target)) {
            fs.delete(target, false);
        }
        if (!fs.rename(temp, target)) {
            fs.delete(temp, false);
            throw new IOException("cannot move " + temp + " to " + target);
        }
        return fs.makeQualified(target);
    }
}
