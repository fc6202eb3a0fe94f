package io.parabench.analysis.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * A number with a fixed count of decimals, exactly as {@code String.format(Locale.ROOT, "%.Nf", v)}
 * prints it, without a {@code Formatter}: both take the shortest decimal digits that identify the
 * double (those of {@code Double.toString}) and round them half-up, and both keep the sign of a
 * negative value that rounds to zero ({@code -0.000}). Checked against the JDK's formatter on
 * millions of values in {@code DecimalTextTest}.
 *
 * <p>Why: {@code trace-stats} prints a line of figures per device, and on JDK 17 a
 * {@code String.format} call parses its pattern with a regex and builds {@code DecimalFormatSymbols}
 * for any locale but US; a trace of 100 000 devices spent most of its text output there.
 */
final class DecimalText {
    private DecimalText() {
    }

    /** {@code value} with {@code digits} decimals; NaN and infinities as the formatter prints them. */
    static String of(double value, int digits) {
        if (!Double.isFinite(value)) {
            return String.format(Locale.ROOT, "%." + digits + "f", value);
        }
        String text = BigDecimal.valueOf(value).setScale(digits, RoundingMode.HALF_UP).toPlainString();
        return Math.copySign(1.0, value) < 0 && text.charAt(0) != '-' ? "-" + text : text;
    }
}
