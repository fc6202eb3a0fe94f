package io.parabench.analysis.regress;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.parabench.analysis.read.BenchmarkRunFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Records a run as its profile's baseline ({@code -Dparabench.accept}), refusing what would
 * quietly weaken the gate.
 *
 * <ul>
 *   <li>{@link Mode#STRICT} ({@code -Dparabench.accept}, {@code =true}): only a complete run (all
 *       benchmarks, default parameters and JMH options) that passed the gate replaces the
 *       baseline. A partial run would shrink the baseline and stop gating everything it left
 *       out; a failed one would record the regression as the new normal.</li>
 *   <li>{@link Mode#MERGE} ({@code =merge}): the run's entries replace the baseline's entries with
 *       the same key and new ones are added; the baseline's other entries stay. For a partial run,
 *       and for a deliberate change of an exact metric (say why in the commit).</li>
 *   <li>{@link Mode#REPLACE} ({@code =replace}): a complete run replaces the baseline even though
 *       the gate failed: for a benchmark deliberately removed, renamed or re-parameterised.</li>
 * </ul>
 * No mode accepts a run that is empty, has non-finite values, non-deterministic exact metrics or
 * another profile than the baseline: those are broken runs, not new normals. Baseline and history
 * entry are written together ({@link BenchmarkRunFile#writeBaselineAndHistory}).
 */
public final class Acceptance {
    /** How to accept; see the class comment. */
    public enum Mode {
        NO, STRICT, MERGE, REPLACE;

        /**
         * Parses {@code -Dparabench.accept}'s value: unset or {@code false} = {@link #NO}; present
         * without a value or {@code true} = {@link #STRICT}; {@code merge}; {@code replace}.
         */
        public static Mode of(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "false", "no" -> NO;
                case "", "true", "yes" -> STRICT;
                case "merge" -> MERGE;
                case "replace" -> REPLACE;
                default -> throw new IllegalArgumentException("parabench.accept (" + value
                        + ") must be true, merge or replace");
            };
        }
    }

    private static final Set<Verdict.Status> NEVER = EnumSet.of(Verdict.Status.EMPTY, Verdict.Status.NOT_FINITE,
            Verdict.Status.NONDETERMINISTIC, Verdict.Status.PROFILE_MISMATCH);

    private Acceptance() {
    }

    /**
     * Why the run cannot be accepted in this mode, or empty when it can.
     *
     * @param partial what made the run partial (e.g. {@code -Dparabench.include=Gemm}), or empty
     */
    public static Optional<String> refusal(Mode mode, List<Verdict> verdicts, Optional<String> partial) {
        for (Verdict v : verdicts) {
            if (NEVER.contains(v.status())) {
                return Optional.of("not accepted: " + v.message());
            }
        }
        long failures = verdicts.stream().filter(v -> v.status().fails()).count();
        return switch (mode) {
            case NO, MERGE -> Optional.empty();
            case STRICT -> partial.map(p -> "not accepted: the run is partial (" + p + ") and would shrink the baseline;"
                            + " merge it into the baseline with -Dparabench.accept=merge")
                    .or(() -> failures == 0 ? Optional.empty() : Optional.of("not accepted: the gate failed (" + failures
                            + " failure(s)); record a deliberate change with -Dparabench.accept=merge, or =replace when"
                            + " benchmarks were removed or renamed"));
            case REPLACE -> partial.map(p -> "not accepted: -Dparabench.accept=replace needs a complete run, this one"
                    + " is partial (" + p + ")");
        };
    }

    /**
     * Records the run: the baseline of its profile (replaced, or merged into) and a new history
     * entry {@code <timestamp>-<profile>.json} holding the run alone, together.
     *
     * @return the baseline file written
     */
    public static Path record(Mode mode, BenchmarkData data, String timestamp, String profile,
                              Map<String, String> environment, Path jmhResults) {
        if (mode == Mode.NO) {
            throw new IllegalArgumentException("accept mode NO records nothing");
        }
        Path baseline = data.baseline(profile);
        ArrayNode run = BenchmarkRunFile.jmhResults(jmhResults);
        ArrayNode recorded = mode == Mode.MERGE && Files.exists(baseline)
                ? BenchmarkRunFile.merge(BenchmarkRunFile.jmhResults(baseline), run.deepCopy())
                : run;
        Path history = data.history().resolve(timestamp + "-" + profile + ".json");
        BenchmarkRunFile.writeBaselineAndHistory(baseline,
                BenchmarkRunFile.runNode(timestamp, profile, environment, recorded),
                history, BenchmarkRunFile.runNode(timestamp, profile, environment, run));
        return baseline;
    }
}
