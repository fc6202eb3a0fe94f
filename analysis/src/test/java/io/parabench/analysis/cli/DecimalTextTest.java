package io.parabench.analysis.cli;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DecimalTextTest {
    private static void assertLikeFormat(double v, int digits) {
        assertEquals(String.format(Locale.ROOT, "%." + digits + "f", v), DecimalText.of(v, digits), "value " + v);
    }

    @Test
    void shouldPrintWhatStringFormatPrintsOnEdgeValues() {
        for (double v : new double[] {0.0, -0.0, -0.0004, 0.00045, 0.0005, 0.00005, 1e-320, -1e-320, 2.5e-4, 1e15 / 7,
                4611686018427387.903, Double.MAX_VALUE, -Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY}) {
            assertLikeFormat(v, 3);
            assertLikeFormat(v, 4);
        }
    }

    @Test
    void shouldPrintWhatStringFormatPrintsOnRandomValues() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 40_000; i++) {
            double v = switch (i % 5) {
                case 0 -> random.nextLong(-(1L << 62), 1L << 62) / 1000.0; // µs of a trace's ns
                case 1 -> random.nextDouble(); // ratios
                case 2 -> Double.longBitsToDouble(random.nextLong()); // any double
                case 3 -> random.nextInt(-100_000, 100_000) / 20_000.0; // halves at the last digit
                default -> random.nextInt(-3, 3) * 0.00005;
            };
            assertLikeFormat(v, 3);
            assertLikeFormat(v, 4);
        }
    }
}
