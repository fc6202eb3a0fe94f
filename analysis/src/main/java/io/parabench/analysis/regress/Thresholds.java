package io.parabench.analysis.regress;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Per-benchmark thresholds for timed metrics: a properties file of
 * {@code <regex on the result key> = <fraction>} lines ({@code data/baselines/thresholds.properties}),
 * e.g. {@code .*GemmBenchmark.* = 0.2}. The first matching pattern in sorted order wins;
 * otherwise {@link RegressionGate#DEFAULT_THRESHOLD}.
 */
public final class Thresholds {
    private final List<Pattern> patterns = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();

    private Thresholds() {
    }

    /** No overrides. */
    public static Thresholds defaults() {
        return new Thresholds();
    }

    /** Reads overrides from a properties file; a missing file means no overrides. */
    public static Thresholds read(Path file) {
        Thresholds t = new Thresholds();
        if (!Files.exists(file)) {
            return t;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            String value = p.getProperty(key).trim();
            double fraction;
            try {
                fraction = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("threshold for " + key + " (" + value + ") in " + file
                        + " must be a fraction such as 0.15", e);
            }
            if (!(fraction >= 0) || fraction > 10) {
                throw new IllegalArgumentException("threshold for " + key + " (" + value + ") in " + file
                        + " must be between 0 and 10");
            }
            try {
                t.patterns.add(Pattern.compile(key));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("threshold pattern (" + key + ") in " + file
                        + " is not a regular expression: " + e.getDescription(), e);
            }
            t.values.add(fraction);
        }
        return t;
    }

    /** The threshold for a result key. */
    public double threshold(String key) {
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matcher(key).matches()) {
                return values.get(i);
            }
        }
        return RegressionGate.DEFAULT_THRESHOLD;
    }
}
