package io.parabench.analysis.cli;

import java.util.Locale;

/**
 * How many devices {@code trace-stats} prints with Holistic Trace Analysis's breakdowns
 * ({@code --device-detail N|all}). Every device keeps its summary figures (span, busy, idle,
 * overlap, SM occupancy, stream busy); the breakdowns are about 2 kB of JSON a device, so a trace
 * of 100 000 devices (one kernel each, as a careless export or a hostile file makes) would print a
 * 200 MB document by default. The first {@value #DEFAULT_LIMIT} devices in device order are
 * detailed: a whole EP64 step, or a rank set of that size, is printed in full.
 *
 * @param limit devices detailed, {@link Integer#MAX_VALUE} for all
 */
record DeviceDetail(int limit) {
    static final String OPTION = "--device-detail";
    static final int DEFAULT_LIMIT = 64;
    static final DeviceDetail ALL = new DeviceDetail(Integer.MAX_VALUE);

    DeviceDetail {
        if (limit < 0) {
            throw new IllegalArgumentException(OPTION + " (" + limit + ") must be 0 or more, or all");
        }
    }

    /** Whether the device at {@code index} (in device order) gets the breakdowns. */
    boolean covers(int index) {
        return index < limit;
    }

    /** Whether some of {@code devices} devices go without the breakdowns. */
    boolean capped(int devices) {
        return devices > limit;
    }

    /** The stderr line when {@link #capped}. */
    String describe(int devices) {
        return String.format(Locale.ROOT, "%d devices: Holistic Trace Analysis's breakdowns (temporal, kernels, idle,"
                + " launches, queue length) are printed for the first %d only, the summary figures for all; %s all"
                + " prints every device in full", devices, limit, OPTION);
    }

    /** Parses the option's value: {@code N} or {@code all}. */
    static DeviceDetail parse(String value) {
        if (value.equalsIgnoreCase("all")) {
            return ALL;
        }
        try {
            return new DeviceDetail(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(OPTION + " (" + value + ") must be a device count (0 or more) or all");
        }
    }
}
