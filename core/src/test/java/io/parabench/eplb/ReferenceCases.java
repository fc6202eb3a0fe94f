package io.parabench.eplb;

import io.parabench.testing.SharedData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The shared {@code eplb/reference-cases.json}, read once per test JVM. */
final class ReferenceCases {
    private static List<EplbCase> cases;

    private ReferenceCases() {
    }

    static synchronized List<EplbCase> all() {
        if (cases == null) {
            try {
                cases = EplbCaseReader.read(SharedData.require("eplb/reference-cases.json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cases;
    }
}
