package io.parabench.analysis.rank;

import io.parabench.analysis.metrics.AnalysisOptions;
import io.parabench.analysis.metrics.TraceSummary;

import java.io.IOException;
import java.util.ServiceLoader;

/**
 * An engine that runs {@link RankAnalysis} somewhere else than this JVM's thread pool, found on
 * the class path by name ({@link ServiceLoader}): the {@code spark} module provides
 * {@code spark}. The analysis module does not depend on any engine.
 */
public interface RankEngine {
    /** The name {@code --engine} selects it by. */
    String name();

    /**
     * Analyses a directory, glob or file of per-rank traces.
     *
     * @param input  as the engine's file systems understand it (a path, {@code hdfs:}, {@code s3a:} …)
     * @param master where to run, engine-specific (Spark: {@code local[N]}, {@code yarn} …), or null
     */
    TraceSummary analyze(String input, AnalysisOptions options, String master) throws IOException;

    /**
     * The engine called {@code name}.
     *
     * @throws IllegalArgumentException when none is on the class path
     */
    static RankEngine named(String name) {
        for (RankEngine e : ServiceLoader.load(RankEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("--engine (" + name + ") is not on the class path: run it through"
                + " ./parabench, which adds the " + name + " module for --engine " + name);
    }
}
