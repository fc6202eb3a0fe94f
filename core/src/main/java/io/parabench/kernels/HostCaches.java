package io.parabench.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The first core's cache sizes, read from Linux's sysfs ({@code /sys/devices/system/cpu/cpu0/cache/index*}):
 * the L2 that {@link GemmTiling} sizes its reduction block by, and the last level, which a
 * benchmark must outgrow to read a weight from memory rather than from cache. Each falls back to
 * a stated default where sysfs cannot be read (another OS, a container without it).
 */
public final class HostCaches {
    private static final Path CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache");
    /** L2 assumed without sysfs: 1 MiB keeps the GEMM blocking that fits every current server core. */
    static final long DEFAULT_L2 = 1L << 20;
    /** Last-level cache assumed without sysfs: larger than most servers' L3 slice per core complex. */
    public static final long DEFAULT_LAST_LEVEL = 256L << 20;

    private HostCaches() {
    }

    /** Bytes of the first core's L2, or {@link #DEFAULT_L2}. */
    public static long l2Bytes() {
        long bytes = largestAtLevel(2);
        return bytes > 0 ? bytes : DEFAULT_L2;
    }

    /**
     * Bytes of the first core's last-level cache: the highest level sysfs lists when that is an
     * L3 or L4 (on x86 servers the L3 a core complex shares). Where sysfs lists no level above
     * 2, or cannot be read, at least {@link #DEFAULT_LAST_LEVEL}: a cache it does not list (a
     * system-level cache) may still hold what a caller means to read from memory, so the
     * estimate errs large.
     */
    public static long lastLevelBytes() {
        for (int level = 4; level >= 3; level--) {
            long bytes = largestAtLevel(level);
            if (bytes > 0) {
                return bytes;
            }
        }
        return Math.max(DEFAULT_LAST_LEVEL, Math.max(largestAtLevel(2), largestAtLevel(1)));
    }

    /** The largest data or unified cache sysfs lists at {@code level}; 0 if none or unreadable. */
    private static long largestAtLevel(int level) {
        long largest = 0;
        for (int index = 0; index < 8; index++) {
            Path dir = CACHES.resolve("index" + index);
            try {
                if (!Files.isDirectory(dir) || Integer.parseInt(Files.readString(dir.resolve("level")).trim()) != level
                        || Files.readString(dir.resolve("type")).trim().equals("Instruction")) {
                    continue;
                }
                largest = Math.max(largest, parseSize(Files.readString(dir.resolve("size")).trim()));
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }
        return largest;
    }

    /** A sysfs cache size: digits with an optional K or M suffix ({@code 2048K}, {@code 32M}). */
    static long parseSize(String size) {
        long unit = size.endsWith("K") ? 1L << 10 : size.endsWith("M") ? 1L << 20 : 1;
        String digits = unit == 1 ? size : size.substring(0, size.length() - 1);
        return Long.parseLong(digits) * unit;
    }
}
