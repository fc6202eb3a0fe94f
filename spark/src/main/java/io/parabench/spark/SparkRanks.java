package io.parabench.spark;

import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.TraceSummary;
import io.parabench.analysis.rank.RankAnalysis;
import io.parabench.analysis.rank.RankMap;
import io.parabench.analysis.rank.RankSummary;
import io.parabench.analysis.rank.StepChoice;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * {@link RankAnalysis} on Spark: the driver lists the files ({@link TraceInput}), one task per
 * file reads it from its file system and maps it to a compact {@link RankSummary}, and only those
 * summaries come back to the driver, which reduces them. No event leaves a task.
 *
 * <p>A trace file is one task: the reader streams a file front to back (gzip cannot be split),
 * so a rank is the unit of parallelism, and 2048 ranks keep 2048 tasks busy.
 *
 * <p>Failures: the first failing file's own message (the reader names the file and the byte
 * offset) is rethrown as an {@link IllegalArgumentException} on the driver, instead of Spark's
 * "Job aborted due to stage failure" with executor stack traces.
 */
public final class SparkRanks {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SparkRanks() {
    }

    /**
     * What a run measured.
     *
     * @param summary  the analysis
     * @param files    trace files read (a file mapped twice counts once)
     * @param mapCpuNs CPU time the tasks spent reading and summarising files, summed over tasks:
     *                 the work an executor core does, without Spark's own overhead
     */
    public record Run(TraceSummary summary, int files, long mapCpuNs) {
        /** JSON megabytes summarised per second of one executor core. */
        public double mbPerCoreSecond() {
            return summary.bytesRead() / 1e6 / (mapCpuNs / 1e9);
        }

        /** One line for stderr: files, megabytes, map CPU and MB/s per core. */
        public String describe() {
            return String.format(java.util.Locale.ROOT, "%d trace files, %.1f MB of JSON, %.1f s of executor CPU in"
                    + " the map: %.1f MB/s per core", files, summary.bytesRead() / 1e6, mapCpuNs / 1e9, mbPerCoreSecond());
        }
    }

    /** Analyses every trace file {@code input} names (see {@link TraceInput}). */
    public static Run analyze(SparkSession spark, String input, AnalysisOptions options) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> files = TraceInput.list(input, jsc.hadoopConfiguration());
        Broadcast<SerializableConfiguration> conf = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
        LongAccumulator cpuNs = jsc.sc().longAccumulator("parabench map CPU ns");
        TraceSummary summary = RankAnalysis.run(input, files, options,
                (some, step) -> map(jsc, conf, cpuNs, some, options, step));
        return new Run(summary, files.size(), cpuNs.value());
    }

    private static List<RankSummary> map(JavaSparkContext jsc, Broadcast<SerializableConfiguration> conf,
                                         LongAccumulator cpuNs, List<String> files, AnalysisOptions options,
                                         StepChoice step) {
        try {
            return jsc.parallelize(files, files.size())
                    .map(file -> {
                        long start = THREADS.getCurrentThreadCpuTime();
                        RankSummary s = summarise(conf.value(), file, options, step);
                        cpuNs.add(THREADS.getCurrentThreadCpuTime() - start);
                        return s;
                    })
                    .collect();
        } catch (Exception e) { // Scala throws SparkException (checked) undeclared
            if (e instanceof SparkException) {
                throw new IllegalArgumentException(firstLine(e), e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private static RankSummary summarise(SerializableConfiguration conf, String file, AnalysisOptions options,
                                         StepChoice step) throws IOException {
        Path path = new Path(file);
        try (FSDataInputStream in = path.getFileSystem(conf.value()).open(path)) {
            return RankMap.read(in, file, path.getName(), options, step).compact();
        } catch (IOException e) {
            throw new IOException("trace " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The message of the task's own exception, else Spark's first line. */
    static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root instanceof IllegalArgumentException || root instanceof IOException) {
                return root.getMessage();
            }
        }
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
