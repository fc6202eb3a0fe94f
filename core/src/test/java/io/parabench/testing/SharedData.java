package io.parabench.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates {@code ../shared/data}, DeepSeek's reference data that lives beside every checkout
 * and in CI but is never copied into the project.
 *
 * <p>On a user's fresh clone without it, tests that need it are skipped with a message; in CI
 * ({@code CI=true}) a missing file fails the test instead, so CI can never pass by skipping.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The shared data folder: system property {@code parabench.shared}, else {@code ../shared}. */
    public static Path root() {
        String configured = System.getProperty("parabench.shared");
        Path shared = configured != null ? Path.of(configured) : Path.of("..", "shared");
        return shared.resolve("data").toAbsolutePath().normalize();
    }

    /** Resolves a file under the shared data folder, skipping (or, in CI, failing) when absent. */
    public static Path require(String relative) {
        Path file = root().resolve(relative);
        if (!Files.exists(file)) {
            String message = "shared reference data not found: " + file
                    + " (it lives in ../shared/data beside the checkout; set -Dparabench.shared=DIR)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return file;
    }
}
