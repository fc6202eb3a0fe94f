package io.parabench.analysis.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.parabench.trace.DeviceProperties;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads Chrome traces in the PyTorch-profiler (Kineto) schema with Jackson's streaming parser,
 * keeping only what the metrics need: GPU events (kernel, memcpy, memset) with their device,
 * stream, grid, SM count and correlation id, the user annotations, and the correlation ids of
 * CPU runtime calls (to attribute kernels to CPU annotations). CPU ops, flow and metadata
 * events are parsed past and dropped, so memory is proportional to the number of GPU events
 * (about 41 bytes each, plus 36 per runtime call) and distinct names, never to the file size.
 *
 * <p>Accepted input: a {@code .json} or gzip-compressed file (detected by its magic bytes, not
 * its name), whose top level is an object with a {@code traceEvents} array (or, as Chrome
 * also allows, a bare array of events); or a directory of such files, one per rank. A file's
 * rank is {@code distributedInfo.rank}, else the number after {@code rank} in its name, else
 * the last number in its name. Unknown event kinds and fields are skipped.
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the file and, for malformed or
 * truncated JSON, the byte offset (of the decompressed JSON for gzip files).
 *
 * <p>Stateless and thread-safe.
 */
public final class TraceReader {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Pattern RANK_IN_NAME = Pattern.compile("(?i)rank[_-]?(\\d+)");
    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");

    private TraceReader() {
    }

    /**
     * Reads a trace file, or every {@code *.json} / {@code *.json.gz} file of a directory,
     * ordered by rank.
     *
     * @throws IllegalArgumentException for a missing path, a directory without traces, ranks
     *                                  that cannot be told or repeat, or malformed JSON
     */
    public static List<Trace> read(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return readDirectory(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("trace path (" + path + ") must be an existing file or directory");
        }
        Trace trace = readFile(path);
        if (trace.rank() < 0) {
            int rank = rankFromFileName(path.getFileName().toString());
            if (rank >= 0) {
                trace = trace.withRank(rank);
            }
        }
        return List.of(trace);
    }

    /**
     * The trace files of a directory ({@code *.json}, {@code *.json.gz}, not hidden), sorted by name.
     *
     * @throws IllegalArgumentException when there is none
     */
    public static List<Path> traceFiles(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(Files::isRegularFile)
                    .filter(p -> isTraceFileName(p.getFileName().toString()))
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("trace directory (" + dir
                    + ") must contain at least one *.json or *.json.gz trace file");
        }
        return files;
    }

    private static List<Trace> readDirectory(Path dir) throws IOException {
        List<Path> files = traceFiles(dir);
        List<Trace> traces = new ArrayList<>();
        TreeMap<Integer, String> seen = new TreeMap<>();
        for (Path file : files) {
            Trace trace = readFile(file);
            if (trace.rank() < 0) {
                int rank = rankFromFileName(file.getFileName().toString());
                if (rank < 0) {
                    throw new IllegalArgumentException("trace file (" + file + ") in a directory must name its rank"
                            + " in distributedInfo.rank or in its file name (e.g. rank3.json)");
                }
                trace = trace.withRank(rank);
            }
            String previous = seen.put(trace.rank(), trace.source());
            if (previous != null) {
                throw new IllegalArgumentException("rank (" + trace.rank() + ") must appear once in " + dir
                        + " but is in " + previous + " and " + trace.source());
            }
            traces.add(trace);
        }
        traces.sort(Comparator.comparingInt(Trace::rank));
        return List.copyOf(traces);
    }

    /** Whether a file name is a trace's: {@code *.json} or {@code *.json.gz}, not hidden. */
    public static boolean isTraceFileName(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return !lower.startsWith(".") && (lower.endsWith(".json") || lower.endsWith(".json.gz"));
    }

    /** The rank a file name states ({@code rank3}, {@code trace_rank-3}, else the last number), or -1. */
    public static int rankFromFileName(String fileName) {
        String stem = fileName.replaceFirst("(?i)\\.json(\\.gz)?$", "");
        Matcher m = RANK_IN_NAME.matcher(stem);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        m = LAST_NUMBER.matcher(stem);
        return m.find() && m.group(1).length() < 10 ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Reads one trace file, plain or gzip. */
    public static Trace readFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads one trace from a stream, plain or gzip (detected from the first two bytes). The
     * caller closes the stream.
     *
     * @param source how to name the trace in messages and results
     */
    public static Trace read(InputStream raw, String source) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        InputStream json = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
        try (JsonParser parser = JSON.createParser(json)) {
            return new EventParser(parser, source).parse();
        }
    }

    /** One parse of one document; holds the columns being filled. */
    private static final class EventParser {
        private final JsonParser p;
        private final String source;
        private final NameTable names = new NameTable();
        private final GpuEvents gpu = new GpuEvents();
        private final Annotations annotations = new Annotations();
        private final RuntimeCalls runtimeCalls = new RuntimeCalls();
        private final TreeMap<Integer, DeviceProperties> devices = new TreeMap<>();
        private int rank = -1;

        EventParser(JsonParser parser, String source) {
            this.p = parser;
            this.source = source;
        }

        Trace parse() {
            try {
                JsonToken first = p.nextToken();
                if (first == null) {
                    throw new IllegalArgumentException("trace " + source + " is empty; it must be a JSON object"
                            + " with a traceEvents array");
                }
                if (first == JsonToken.START_ARRAY) {
                    readEvents();
                } else if (first == JsonToken.START_OBJECT) {
                    readTopObject();
                } else {
                    throw new IllegalArgumentException("trace " + source + " must be a JSON object with a traceEvents"
                            + " array (or an array of events), but its top level is " + describe(first));
                }
                JsonToken after = p.nextToken();
                if (after != null) {
                    throw malformed("unexpected " + describe(after) + " after the end of the trace", null);
                }
                return new Trace(source, rank, devices, names, gpu, annotations, runtimeCalls,
                        p.currentLocation().getByteOffset());
            } catch (JsonProcessingException e) {
                long offset = e.getLocation() != null ? e.getLocation().getByteOffset() : offset();
                throw new IllegalArgumentException("trace " + source + " is not valid JSON at byte offset " + offset
                        + " (truncated or corrupt file?): "
                        + e.getOriginalMessage().replaceAll(" \\(start marker at \\[.*?\\]\\)", ""), e);
            } catch (IOException e) {
                throw new IllegalArgumentException("trace " + source + " cannot be read past byte offset " + offset()
                        + " (truncated or corrupt file?): " + e.getMessage(), e);
            }
        }

        private long offset() {
            return p.currentLocation().getByteOffset();
        }

        private IllegalArgumentException malformed(String what, Throwable cause) {
            return new IllegalArgumentException("trace " + source + " is malformed at byte offset " + offset()
                    + ": " + what, cause);
        }

        private static String describe(JsonToken token) {
            switch (token) {
                case START_ARRAY: return "an array";
                case START_OBJECT: return "an object";
                case VALUE_STRING: return "a string";
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT: return "a number";
                case VALUE_TRUE:
                case VALUE_FALSE: return "a boolean";
                case VALUE_NULL: return "null";
                default: return token.toString();
            }
        }

        private void readTopObject() throws IOException {
            boolean sawEvents = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "traceEvents":
                        if (value != JsonToken.START_ARRAY) {
                            throw malformed("traceEvents must be an array, found " + describe(value), null);
                        }
                        readEvents();
                        sawEvents = true;
                        break;
                    case "deviceProperties":
                        readDeviceProperties(value);
                        break;
                    case "distributedInfo":
                        readDistributedInfo(value);
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (!sawEvents) {
                throw new IllegalArgumentException("trace " + source
                        + " must have a traceEvents array at its top level, but has none");
            }
        }

        private void readDeviceProperties(JsonToken value) throws IOException {
            if (value != JsonToken.START_ARRAY) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                int id = -1;
                int numSms = 0;
                String name = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("id".equals(field) && v == JsonToken.VALUE_NUMBER_INT) {
                        id = p.getIntValue();
                    } else if ("numSms".equals(field) && v == JsonToken.VALUE_NUMBER_INT) {
                        numSms = p.getIntValue();
                    } else if ("name".equals(field) && v == JsonToken.VALUE_STRING) {
                        name = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                if (id >= 0 && numSms >= 0) {
                    devices.put(id, new DeviceProperties(id, name == null || name.isEmpty() ? "device " + id : name,
                            numSms));
                }
            }
        }

        private void readDistributedInfo(JsonToken value) throws IOException {
            if (value != JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if ("rank".equals(field) && v == JsonToken.VALUE_NUMBER_INT) {
                    rank = p.getIntValue();
                } else {
                    p.skipChildren();
                }
            }
        }

        private static final int CAT_UNKNOWN = 0;
        private static final int CAT_IRRELEVANT = 1;
        private static final int CAT_GPU = 2;
        private static final int CAT_ANNOTATION = 3;
        private static final int CAT_GPU_ANNOTATION = 4;
        private static final int CAT_RUNTIME = 5;

        /** Reads the events array; the parser stands on its START_ARRAY. */
        private void readEvents() throws IOException {
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw malformed("the traceEvents array is not closed", null);
                }
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                readEvent();
            }
        }

        /** Reads one event object into the columns when it is GPU work or an annotation. */
        private void readEvent() throws IOException {
            boolean complete = false;
            int catKind = CAT_UNKNOWN;
            GpuEventKind gpuKind = null;
            String name = null;
            int pid = Integer.MIN_VALUE;
            int tid = GpuEvents.UNKNOWN;
            long ts = Long.MIN_VALUE;
            long dur = 0;
            int stream = GpuEvents.UNKNOWN;
            int blocks = GpuEvents.UNKNOWN;
            int sms = GpuEvents.UNKNOWN;
            long correlation = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "ph":
                        complete = v == JsonToken.VALUE_STRING && "X".equals(p.getText());
                        break;
                    case "cat":
                        if (v == JsonToken.VALUE_STRING) {
                            String cat = p.getText();
                            gpuKind = GpuEventKind.fromCategory(cat);
                            catKind = gpuKind != null ? CAT_GPU
                                    : "user_annotation".equals(cat) ? CAT_ANNOTATION
                                    : "gpu_user_annotation".equals(cat) ? CAT_GPU_ANNOTATION
                                    : "cuda_runtime".equals(cat) || "cuda_driver".equals(cat) ? CAT_RUNTIME
                                    : CAT_IRRELEVANT;
                        } else {
                            catKind = CAT_IRRELEVANT;
                            p.skipChildren();
                        }
                        break;
                    case "name":
                        if (catKind != CAT_IRRELEVANT && v == JsonToken.VALUE_STRING) {
                            name = p.getText();
                        } else {
                            p.skipChildren();
                        }
                        break;
                    case "pid":
                        pid = intOf(v);
                        break;
                    case "tid":
                        tid = intOf(v);
                        break;
                    case "ts":
                        ts = nanos(v, "ts");
                        break;
                    case "dur":
                        dur = nanos(v, "dur");
                        break;
                    case "args":
                        if (catKind == CAT_IRRELEVANT || v != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            break;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String arg = p.currentName();
                            JsonToken av = p.nextToken();
                            if ("stream".equals(arg)) {
                                stream = intOf(av);
                            } else if ("grid".equals(arg) && av == JsonToken.START_ARRAY) {
                                blocks = gridBlocks();
                            } else if ("sms".equals(arg) && av == JsonToken.VALUE_NUMBER_INT) {
                                sms = p.getIntValue();
                            } else if ("correlation".equals(arg) && av == JsonToken.VALUE_NUMBER_INT) {
                                correlation = p.getLongValue();
                            } else {
                                p.skipChildren();
                            }
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (!complete || catKind <= CAT_IRRELEVANT || ts == Long.MIN_VALUE || pid == Integer.MIN_VALUE || dur < 0) {
                return;
            }
            if (catKind == CAT_RUNTIME) {
                if (correlation >= 0) {
                    runtimeCalls.add(ts, ts + dur, names.intern(name == null ? "" : name), correlation, pid, tid);
                }
            } else if (name == null) {
                return;
            } else if (catKind == CAT_GPU) {
                gpu.add(ts, ts + dur, names.intern(name), pid, stream != GpuEvents.UNKNOWN ? stream : tid,
                        blocks, sms, gpuKind, correlation);
            } else {
                annotations.add(ts, ts + dur, names.intern(name), pid, tid, catKind == CAT_GPU_ANNOTATION);
            }
        }

        /** Product of the grid dimensions; the parser stands on the array's START_ARRAY. */
        private int gridBlocks() throws IOException {
            long product = 1;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.VALUE_NUMBER_INT) {
                    product *= Math.max(0, p.getLongValue());
                    product = Math.min(product, Integer.MAX_VALUE);
                } else {
                    p.skipChildren();
                }
            }
            return (int) product;
        }

        /** An int field that may be written as a number or a numeric string; otherwise unknown. */
        private int intOf(JsonToken v) throws IOException {
            if (v == JsonToken.VALUE_NUMBER_INT) {
                long value = p.getLongValue();
                return value >= Integer.MIN_VALUE + 1 && value <= Integer.MAX_VALUE ? (int) value : GpuEvents.UNKNOWN;
            }
            if (v == JsonToken.VALUE_STRING) {
                String s = p.getText().trim();
                if (!s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit)) {
                    return Integer.parseInt(s);
                }
                return Integer.MIN_VALUE;
            }
            p.skipChildren();
            return Integer.MIN_VALUE;
        }

        /**
         * Microseconds (integer, decimal or numeric string) as exact nanoseconds: digits past
         * the third decimal are rounded half up. Parsed from the text, not via double, because
         * real traces carry epoch microseconds (≈1.7e15) whose nanoseconds a double cannot hold.
         */
        private long nanos(JsonToken v, String field) throws IOException {
            if (v == JsonToken.VALUE_NUMBER_INT) {
                try {
                    return Math.multiplyExact(p.getLongValue(), 1000L);
                } catch (ArithmeticException | IOException e) {
                    throw malformed(field + " (" + p.getText() + ") must be a number of microseconds below 9.2e15", e);
                }
            }
            if (v != JsonToken.VALUE_NUMBER_FLOAT && v != JsonToken.VALUE_STRING) {
                throw malformed(field + " must be a number of microseconds, found " + describe(v), null);
            }
            char[] chars = p.getTextCharacters();
            int off = p.getTextOffset();
            int len = p.getTextLength();
            long parsed = parseMicrosAsNanos(chars, off, len);
            if (parsed == Long.MIN_VALUE) {
                String text = new String(chars, off, len).trim();
                try {
                    return new BigDecimal(text).movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw malformed(field + " (" + text + ") must be a number of microseconds", e);
                }
            }
            return parsed;
        }
    }

    /**
     * Fast path of {@link EventParser#nanos}: plain decimal text {@code [-]digits[.digits]}.
     * Returns {@link Long#MIN_VALUE} for anything else (exponents, blanks, overflow), which the
     * caller hands to {@link BigDecimal}.
     */
    static long parseMicrosAsNanos(char[] c, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = false;
        if (i < end && c[i] == '-') {
            negative = true;
            i++;
        }
        long whole = 0;
        int digits = 0;
        while (i < end && c[i] >= '0' && c[i] <= '9') {
            if (++digits > 15) {
                return Long.MIN_VALUE;
            }
            whole = whole * 10 + (c[i++] - '0');
        }
        long frac = 0;
        int fracDigits = 0;
        boolean roundUp = false;
        if (i < end && c[i] == '.') {
            i++;
            while (i < end && c[i] >= '0' && c[i] <= '9') {
                if (fracDigits < 3) {
                    frac = frac * 10 + (c[i] - '0');
                } else if (fracDigits == 3) {
                    roundUp = c[i] >= '5';
                }
                fracDigits++;
                i++;
            }
            digits += fracDigits;
        }
        if (i != end || digits == 0) {
            return Long.MIN_VALUE;
        }
        for (int k = Math.min(fracDigits, 3); k < 3; k++) {
            frac *= 10;
        }
        long ns = whole * 1000 + frac + (roundUp ? 1 : 0);
        return negative ? -ns : ns;
    }
}
