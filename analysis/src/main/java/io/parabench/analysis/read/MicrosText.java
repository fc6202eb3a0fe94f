package io.parabench.analysis.read;

/**
 * Microseconds written as text (a JSON number, or a numeric string) to integer nanoseconds, in
 * fixed point, without arbitrary precision: real traces carry epoch microseconds (≈1.7e15)
 * whose nanoseconds a {@code double} cannot hold, and an exponent such as {@code 1e100000000}
 * must cost no more than reading its digits (a {@code BigDecimal} spent minutes on it).
 *
 * <p>Digits past the third decimal round half away from zero. The result lies within
 * ±{@link #LIMIT_NS} − 1, so that every sum and difference of two results fits in a
 * {@code long}; anything beyond is {@link #OUT_OF_RANGE}, text that is no number
 * {@link #NOT_A_NUMBER}. Stateless.
 */
final class MicrosText {
    /** 2^62 ns (about 146 years): the bound of every time and duration the reader keeps. */
    static final long LIMIT_NS = 1L << 62;
    static final long NOT_A_NUMBER = Long.MIN_VALUE;
    static final long OUT_OF_RANGE = Long.MAX_VALUE;

    /** Digits kept while the mantissa stays below this, so that {@code m * 10 + 9} cannot overflow. */
    private static final long KEEP_BELOW = (Long.MAX_VALUE - 9) / 10;
    /** Decimal exponents are clamped here: far past any in-range value, far from int overflow. */
    private static final int EXPONENT_CLAMP = 1_000_000;
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private MicrosText() {
    }

    /**
     * Nanoseconds of the microseconds in {@code b[off, off + len)}: {@code [-]digits[.digits][e[±]digits]}
     * (the caller has checked JSON's number grammar for raw numbers; numeric strings may also
     * have surrounding blanks, a leading {@code +} or no leading digit).
     */
    static long toNanos(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && b[i] == ' ') {
            i++;
        }
        while (end > i && b[end - 1] == ' ') {
            end--;
        }
        boolean negative = false;
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        long m = 0;
        int scale = 0;          // value = m * 10^scale microseconds (before the exponent)
        int firstDropped = -1;  // the first digit that did not fit in m, for rounding
        int digits = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            int d = b[i++] - '0';
            digits++;
            if (m < KEEP_BELOW) {
                m = m * 10 + d;
            } else {
                if (firstDropped < 0) {
                    firstDropped = d;
                }
                scale++;
            }
        }
        if (i < end && b[i] == '.') {
            i++;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                int d = b[i++] - '0';
                digits++;
                if (m < KEEP_BELOW) {
                    m = m * 10 + d;
                    scale--;
                } else if (firstDropped < 0) {
                    firstDropped = d;
                }
            }
        }
        if (digits == 0) {
            return NOT_A_NUMBER;
        }
        long exponent = 0;
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (b[i] == '-' || b[i] == '+')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            int expDigits = 0;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                exponent = Math.min(EXPONENT_CLAMP, exponent * 10 + (b[i++] - '0'));
                expDigits++;
            }
            if (expDigits == 0) {
                return NOT_A_NUMBER;
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        if (i != end) {
            return NOT_A_NUMBER;
        }
        if (m == 0) {
            return 0;
        }
        long q = scale + 3 + exponent;  // nanoseconds = m * 10^q
        long ns;
        if (q >= 0) {
            if (q > 18 || (firstDropped >= 0 && q > 0)) {
                return OUT_OF_RANGE;
            }
            if (m > (LIMIT_NS - 1) / POW10[(int) q]) {
                return OUT_OF_RANGE;
            }
            ns = m * POW10[(int) q];
            if (firstDropped >= 5) {
                ns++;
            }
        } else if (q >= -18) {
            long divisor = POW10[(int) -q];
            ns = m / divisor;
            if ((m % divisor) * 2 >= divisor) {
                ns++;
            }
        } else {
            // m < 10^19, so m / 10^19 < 0.93 rounds to 1 only from one half up.
            ns = q == -19 && m >= 5_000_000_000_000_000_000L ? 1 : 0;
        }
        if (ns >= LIMIT_NS) {
            return OUT_OF_RANGE;
        }
        return negative ? -ns : ns;
    }
}
