package io.parabench.spark;

import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.TraceSummary;
import io.parabench.analysis.rank.RankEngine;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/**
 * {@code trace-stats --engine spark}: the Spark job embedded in the command's JVM, on
 * {@code --master} (default {@code local[*]}: every core of this machine), for trying the
 * cluster path without a cluster. Found by {@link RankEngine#named} through
 * {@code META-INF/services}.
 */
public final class SparkRankEngine implements RankEngine {
    /** Master when none is given: all local cores. */
    public static final String DEFAULT_MASTER = "local[*]";

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public TraceSummary analyze(String input, AnalysisOptions options, String master) throws IOException {
        // a session already running in this JVM (a notebook, a test) is used as it is, and left running
        java.util.Optional<SparkSession> running = SparkSession.getActiveSession().isDefined()
                ? java.util.Optional.of(SparkSession.getActiveSession().get()) : java.util.Optional.empty();
        SparkSession spark = running.orElseGet(() -> EmbeddedSpark.start(master == null ? DEFAULT_MASTER : master));
        try {
            SparkRanks.Run run = SparkRanks.analyze(spark, input, options);
            System.err.println("spark: " + run.describe());
            return run.summary();
        } finally {
            if (running.isEmpty()) {
                spark.stop();
            }
        }
    }
}
