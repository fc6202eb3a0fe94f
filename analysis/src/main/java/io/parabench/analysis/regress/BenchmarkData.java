package io.parabench.analysis.regress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a repository keeps what the gate compares with: {@code data/baselines/<profile>.json}
 * (one baseline per profile: timings of a one-iteration gate run and of a quick run are not
 * comparable), {@code data/baselines/thresholds.properties} and {@code data/history/}.
 *
 * <p>Found from the repository root, not the working directory, so a command run from a
 * sub-folder (or by CI from elsewhere) compares with the same baseline instead of silently
 * finding none: the root is {@code -Dparabench.root} when set (the {@code parabench} launcher
 * sets it), else the nearest folder at or above the start that holds {@code data/baselines}.
 *
 * @param root the repository root (absolute)
 */
public record BenchmarkData(Path root) {
    /** System property naming the repository root explicitly. */
    public static final String ROOT_PROPERTY = "parabench.root";

    public BenchmarkData {
        root = root.toAbsolutePath().normalize();
    }

    /** The repository holding {@code start} (see the class comment), if any. */
    public static Optional<BenchmarkData> find(Path start) {
        String property = System.getProperty(ROOT_PROPERTY, "");
        if (!property.isBlank()) {
            return Optional.of(new BenchmarkData(Path.of(property)));
        }
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("data").resolve("baselines"))) {
                return Optional.of(new BenchmarkData(dir));
            }
        }
        return Optional.empty();
    }

    /** {@code data/baselines/<profile>.json}. */
    public Path baseline(String profile) {
        if (!profile.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("profile (" + profile + ") must be a lower-case name such as quick");
        }
        return root.resolve("data").resolve("baselines").resolve(profile + ".json");
    }

    /** {@code data/baselines/thresholds.properties}. */
    public Path thresholds() {
        return root.resolve("data").resolve("baselines").resolve("thresholds.properties");
    }

    /** {@code data/history}. */
    public Path history() {
        return root.resolve("data").resolve("history");
    }

    /** {@code path} relative to the root, for messages and the report. */
    public String relative(Path path) {
        Path p = path.toAbsolutePath().normalize();
        return p.startsWith(root) ? root.relativize(p).toString() : p.toString();
    }
}
