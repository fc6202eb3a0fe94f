package io.parabench.analysis.cli;

/** How a command prints its result on stdout. */
public enum OutputFormat {
    /** Aligned text for people. */
    TEXT,
    /** One JSON document and nothing else, for {@code jq} and scripts. */
    JSON
}
