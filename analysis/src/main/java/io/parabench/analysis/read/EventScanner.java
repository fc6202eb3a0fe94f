package io.parabench.analysis.read;

import io.parabench.trace.DeviceProperties;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON scanner for the Kineto trace schema, on the bytes of the file: it validates the whole
 * document (JSON's grammar, escapes, no raw control characters) but only decodes what a
 * {@link TracePart} keeps — {@code ph}, {@code cat}, {@code name}, {@code pid}, {@code tid},
 * {@code ts}, {@code dur} and four {@code args} of GPU events, annotations and runtime calls,
 * plus {@code deviceProperties} and {@code distributedInfo}. A CPU op is recognised by its
 * {@code cat} and the rest of it is skipped byte by byte, without building a token, a
 * {@code String} or a number; a name already seen is found by its bytes ({@link NameTable}).
 * That is what makes a real trace, mostly CPU ops with long {@code args}, read about ten times
 * faster than through a general tokenizer (Jackson's streaming parser: 40 MB/s on
 * {@code train.json} tiled to 300 MB, most of it spent making tokens the reader then dropped).
 *
 * <p>Nesting is tracked on an explicit stack, never by recursion, so no input can overflow the
 * thread's stack; memory is the input buffer, two token buffers (captured strings are limited
 * to {@link #MAX_CAPTURED} bytes) and the part's columns.
 *
 * <p>Errors are {@link Malformed} exceptions with the absolute byte offset and the index of the
 * event (within this part) where they were found. Not thread-safe: one scanner per part.
 */
final class EventScanner {
    static final int BUFFER_BYTES = 1 << 20;
    /** Longest string the scanner decodes (names, categories); longer ones are only skipped when not needed. */
    static final int MAX_CAPTURED = 16 << 20;
    /** Longest number text decoded (a time or an id); JSON allows more, no time needs it. */
    static final int MAX_NUMBER_CHARS = 1000;

    private static final int CAT_UNKNOWN = 0;
    private static final int CAT_IRRELEVANT = 1;
    private static final int CAT_GPU = 2;
    private static final int CAT_ANNOTATION = 3;
    private static final int CAT_GPU_ANNOTATION = 4;
    private static final int CAT_RUNTIME = 5;

    private static final int UNKNOWN = GpuEvents.UNKNOWN;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long EIGHT_BLANKS = 0x2020202020202020L;
    private static final long MISSING = Long.MIN_VALUE;

    private final InputStream in;
    private final TracePart part;
    private byte[] buf = new byte[BUFFER_BYTES];
    private int pos;
    private int limit;
    /** Absolute offset of {@code buf[0]} in the (decompressed) document. */
    private long base;
    private boolean eof;
    /** Absolute offset of the next part's first event, or -1 when this part runs to the end. */
    private long stopAt;
    private long eventIndex = -1;
    private boolean sawEvents;

    private final TokenBuffer token = new TokenBuffer();
    private final TokenBuffer name = new TokenBuffer();
    private byte[] nesting = new byte[64];

    // The args of the event being read.
    private int stream;
    private int blocks;
    private int sms;
    private int blockThreads;
    private int registersPerThread;
    private int sharedMemory;
    private long correlation;
    private GpuEventKind gpuKind;

    /**
     * @param in          the document's bytes from {@code startOffset} on
     * @param startOffset absolute offset of the first byte of {@code in}
     * @param stopAt      absolute offset of the next part's first event, or -1
     */
    EventScanner(InputStream in, long startOffset, TracePart part, long stopAt) {
        this.in = in;
        this.base = startOffset;
        this.part = part;
        this.stopAt = stopAt;
    }

    /** Scans a whole document from its first byte. */
    void scanDocument() throws IOException {
        int c = peekNonWs();
        if (c < 0) {
            throw Malformed.unpositioned("is empty; it must be a JSON object with a traceEvents array");
        }
        if (c == '[') {
            pos++;
            sawEvents = true;
            scanEventArray();
        } else if (c == '{') {
            pos++;
            scanTopObject();
        } else {
            throw Malformed.unpositioned("must be a JSON object with a traceEvents array (or an array of events),"
                    + " but its top level is " + describe(c));
        }
        endOfDocument();
    }

    /**
     * Scans a later part of a split file: from one event of the top-level {@code traceEvents}
     * array (at the start offset) to the end of the document.
     */
    void scanFromEvent() throws IOException {
        sawEvents = true;
        scanEventElements();
        scanTopObjectFields(false);
        endOfDocument();
    }

    private void endOfDocument() throws IOException {
        int c = peekNonWs();
        if (c >= 0) {
            throw malformed("unexpected " + describe(c) + " after the end of the trace");
        }
        part.endOffset = base + pos;
    }

    // ---- top level -------------------------------------------------------------------------

    private void scanTopObject() throws IOException {
        int c = peekNonWs();
        if (c == '}') {
            pos++;
        } else {
            scanTopObjectFields(true);
        }
        if (!sawEvents) {
            throw Malformed.unpositioned("must have a traceEvents array at its top level, but has none");
        }
    }

    /** Fields of the top-level object up to its end; {@code atField}: standing on a field, else after a value. */
    private void scanTopObjectFields(boolean atField) throws IOException {
        if (!atField && afterMember('}', "the top-level object")) {
            return;
        }
        while (true) {
            readKey();
            if (is(TRACE_EVENTS)) {
                int c = peekNonWs();
                if (c != '[') {
                    throw malformed("traceEvents must be an array, found " + describe(c));
                }
                pos++;
                sawEvents = true;
                scanEventArray();
            } else if (is(DEVICE_PROPERTIES)) {
                scanDeviceProperties();
            } else if (is(DISTRIBUTED_INFO)) {
                scanDistributedInfo();
            } else {
                skipValue();
            }
            if (afterMember('}', "the top-level object")) {
                return;
            }
        }
    }

    /** After a member's value: true at the closing {@code close} (consumed), false after a comma. */
    private boolean afterMember(char close, String where) throws IOException {
        int c = peekNonWs();
        if (c == ',') {
            pos++;
            return false;
        }
        if (c == close) {
            pos++;
            return true;
        }
        throw malformed(c < 0 ? where + " is not closed"
                : "expected ',' or '" + close + "' in " + where + ", found " + describe(c));
    }

    private void scanDeviceProperties() throws IOException {
        if (peekNonWs() != '[') {
            skipValue();
            return;
        }
        pos++;
        if (peekNonWs() == ']') {
            pos++;
            return;
        }
        do {
            if (peekNonWs() != '{') {
                skipValue();
                continue;
            }
            pos++;
            int id = -1;
            int numSms = 0;
            String deviceName = null;
            if (peekNonWs() == '}') {
                pos++;
            } else {
                do {
                    readKey();
                    if (is(ID)) {
                        int v = readInt();
                        id = v == Integer.MIN_VALUE ? id : v;
                    } else if (is(NUM_SMS)) {
                        int v = readInt();
                        numSms = v == Integer.MIN_VALUE ? numSms : v;
                    } else if (is(NAME) && peekNonWs() == '"') {
                        pos++;
                        captureString(token);
                        deviceName = token.string();
                    } else {
                        skipValue();
                    }
                } while (!afterMember('}', "a deviceProperties entry"));
            }
            if (id >= 0 && numSms >= 0) {
                part.devices.put(id, new DeviceProperties(id,
                        deviceName == null || deviceName.isEmpty() ? "device " + id : deviceName, numSms));
            }
        } while (!afterMember(']', "deviceProperties"));
    }

    private void scanDistributedInfo() throws IOException {
        if (peekNonWs() != '{') {
            skipValue();
            return;
        }
        pos++;
        if (peekNonWs() == '}') {
            pos++;
            return;
        }
        do {
            readKey();
            int c = peekNonWs();
            if (is(RANK) && (c == '-' || isDigit(c))) {
                long at = base + pos;
                readNumber();
                long rank = integerOf(numBytes, numOff, numLen);
                if (rank < 0 || rank > Integer.MAX_VALUE) {
                    throw malformedAt(at, "distributedInfo.rank (" + prefix(numBytes, numOff, numLen) + ") must be a whole number"
                            + " from 0 to " + Integer.MAX_VALUE);
                }
                part.rank = (int) rank;
            } else {
                skipValue();
            }
        } while (!afterMember('}', "distributedInfo"));
    }

    // ---- events ----------------------------------------------------------------------------

    /** After the {@code [} of the events array. */
    private void scanEventArray() throws IOException {
        int c = peekNonWs();
        if (c == ']') {
            pos++;
            return;
        }
        scanEventElements();
    }

    /** From an element of the events array (whitespace skipped) to the array's end. */
    private void scanEventElements() throws IOException {
        while (true) {
            int c = peekNonWs();
            if (c < 0) {
                throw malformed("the traceEvents array is not closed");
            }
            long at = base + pos;
            if (stopAt >= 0 && at >= stopAt) {
                if (at == stopAt) {
                    part.reachedNext = true;
                    part.endOffset = at;
                    throw ReachedNextPart.INSTANCE;
                }
                stopAt = -1;  // the split was not an event boundary: this part reads on to the end
            }
            eventIndex = part.events;
            if (c == '{') {
                pos++;
                scanEvent();
            } else {
                skipValue();
            }
            part.events++;
            c = peekNonWs();
            if (c == ',') {
                pos++;
                continue;
            }
            if (c == ']') {
                pos++;
                eventIndex = -1;
                return;
            }
            throw malformed(c < 0 ? "the traceEvents array is not closed"
                    : "expected ',' or ']' after an event, found " + describe(c));
        }
    }

    /** One event, after its {@code {}: kept in the part when it is GPU work, an annotation or a launch. */
    private void scanEvent() throws IOException {
        boolean phSeen = false;
        boolean complete = false;
        int cat = CAT_UNKNOWN;
        boolean named = false;
        int pid = Integer.MIN_VALUE;
        int tid = UNKNOWN;
        long ts = MISSING;
        long dur = 0;
        long tsAt = -1;
        stream = UNKNOWN;
        blocks = UNKNOWN;
        sms = UNKNOWN;
        blockThreads = UNKNOWN;
        registersPerThread = UNKNOWN;
        sharedMemory = UNKNOWN;
        correlation = -1;
        gpuKind = null;
        if (peekNonWs() == '}') {
            pos++;
            return;
        }
        do {
            int key = readEventKey();
            boolean ignored = cat == CAT_IRRELEVANT || (phSeen && !complete);
            if (ignored && key != KEY_OTHER) {
                key = KEY_OTHER;
            }
            switch (key) {
                case KEY_PH:
                    phSeen = true;
                    complete = readWordValue() && wordLen == 1 && w0 == 'X';
                    break;
                case KEY_CAT:
                    cat = readWordValue() ? category() : CAT_IRRELEVANT;
                    break;
                case KEY_NAME:
                    named = readString(name);
                    break;
                case KEY_PID:
                    pid = readInt();
                    break;
                case KEY_TID:
                    tid = readInt();
                    break;
                case KEY_TS:
                    tsAt = base + pos;
                    ts = readNanos("ts");
                    break;
                case KEY_DUR:
                    dur = readNanos("dur");
                    break;
                case KEY_ARGS:
                    scanArgs();
                    break;
                default:
                    skipValue();
            }
        } while (!afterMember('}', "an event"));
        if (!complete || cat <= CAT_IRRELEVANT) {
            return;
        }
        if (ts == MISSING) {
            part.withoutTs++;
            return;
        }
        if (dur < 0) {
            part.negativeDur++;
            return;
        }
        long end = ts + dur;  // both within ±2^62, so the sum cannot overflow
        if (end >= MicrosText.LIMIT_NS) {
            throw malformedAt(tsAt, "the event ends at " + end + " ns (ts + dur), past the supported 2^62 ns"
                    + " (about 4.6e15 µs)");
        }
        if (cat == CAT_RUNTIME) {
            if (correlation >= 0 && pid != Integer.MIN_VALUE) {
                if (!named) {
                    name.len = 0;  // a call without a name keeps the empty name, so that its id is always valid
                }
                part.addRuntimeCall(ts, end, correlation, pid, tid, intern(name));
            } else if (pid == Integer.MIN_VALUE) {
                part.withoutPidOrName++;
            }
            return;
        }
        if (pid == Integer.MIN_VALUE || !named) {
            part.withoutPidOrName++;
            return;
        }
        if (cat == CAT_GPU) {
            part.addGpu(ts, end, intern(name), pid, stream != UNKNOWN ? stream : tid, blocks, sms,
                    GpuEvents.packBlock(blockThreads, registersPerThread, sharedMemory), gpuKind, correlation);
        } else {
            part.addAnnotation(ts, end, intern(name), pid, tid, cat == CAT_GPU_ANNOTATION);
        }
    }

    private int intern(TokenBuffer t) {
        return part.names.intern(t.bytes, 0, t.len);
    }

    /** The category in the last word read. */
    private int category() {
        switch (wordLen) {
            case 6:
                if (is(KERNEL)) {
                    gpuKind = GpuEventKind.KERNEL;
                    return CAT_GPU;
                }
                if (is(MEMCPY)) {
                    gpuKind = GpuEventKind.MEMCPY;
                    return CAT_GPU;
                }
                if (is(MEMSET)) {
                    gpuKind = GpuEventKind.MEMSET;
                    return CAT_GPU;
                }
                return CAT_IRRELEVANT;
            case 10:
                if (is(GPU_MEMCPY)) {
                    gpuKind = GpuEventKind.MEMCPY;
                    return CAT_GPU;
                }
                if (is(GPU_MEMSET)) {
                    gpuKind = GpuEventKind.MEMSET;
                    return CAT_GPU;
                }
                return CAT_IRRELEVANT;
            case 11:
                return is(CUDA_DRIVER) ? CAT_RUNTIME : CAT_IRRELEVANT;
            case 12:
                return is(CUDA_RUNTIME) ? CAT_RUNTIME : CAT_IRRELEVANT;
            case 15:
                return is(USER_ANNOTATION) ? CAT_ANNOTATION : CAT_IRRELEVANT;
            case 19:
                return is(GPU_USER_ANNOTATION) ? CAT_GPU_ANNOTATION : CAT_IRRELEVANT;
            default:
                return CAT_IRRELEVANT;
        }
    }

    private void scanArgs() throws IOException {
        if (peekNonWs() != '{') {
            skipValue();
            return;
        }
        pos++;
        if (peekNonWs() == '}') {
            pos++;
            return;
        }
        do {
            readKey();
            if (is(STREAM)) {
                stream = readInt();
            } else if (is(GRID)) {
                blocks = readGridBlocks();
            } else if (is(SMS)) {
                int v = readInt();
                sms = v >= 0 ? v : UNKNOWN;
            } else if (is(CORRELATION)) {
                correlation = readCorrelation();
            } else if (is(BLOCK)) {
                blockThreads = readGridBlocks();
            } else if (is(REGISTERS_PER_THREAD)) {
                registersPerThread = readInt();
            } else if (is(SHARED_MEMORY)) {
                sharedMemory = readInt();
            } else {
                skipValue();
            }
        } while (!afterMember('}', "an event's args"));
    }

    /** Product of the grid dimensions, capped at {@code Integer.MAX_VALUE}; not an array: unknown. */
    private int readGridBlocks() throws IOException {
        if (peekNonWs() != '[') {
            skipValue();
            return UNKNOWN;
        }
        pos++;
        long product = 1;
        if (peekNonWs() == ']') {
            pos++;
            return 1;
        }
        do {
            int c = peekNonWs();
            if (c == '-' || isDigit(c)) {
                readNumber();
                long v = integerOf(numBytes, numOff, numLen);
                product = Math.min(Integer.MAX_VALUE, product * Math.max(0, Math.min(v, Integer.MAX_VALUE)));
            } else {
                skipValue();
            }
        } while (!afterMember(']', "an event's grid"));
        return (int) product;
    }

    private long readCorrelation() throws IOException {
        int c = peekNonWs();
        if (c == '-' || isDigit(c)) {
            readNumber();
            long v = integerOf(numBytes, numOff, numLen);
            return v == NOT_AN_INTEGER ? -1 : v;
        }
        skipValue();
        return -1;
    }

    /**
     * An int written as a number or a numeric string; a whole number out of int range is
     * {@link GpuEvents#UNKNOWN}, anything else {@code Integer.MIN_VALUE} (as no value).
     */
    private int readInt() throws IOException {
        int c = peekNonWs();
        if (c == '-' || isDigit(c)) {
            readNumber();
            long v = integerOf(numBytes, numOff, numLen);
            if (v == NOT_AN_INTEGER) {
                return isIntegerLiteral(numBytes, numOff, numLen) ? UNKNOWN : Integer.MIN_VALUE;
            }
            return v > Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (int) v : UNKNOWN;
        }
        if (c == '"') {
            pos++;
            captureString(token);
            token.trim();
            if (token.len > 0 && token.len < 10 && token.allDigits()) {
                return (int) integerOf(token.bytes, 0, token.len);
            }
            return Integer.MIN_VALUE;
        }
        skipValue();
        return Integer.MIN_VALUE;
    }

    /** A time in microseconds (number or numeric string) as nanoseconds within ±2^62. */
    private long readNanos(String field) throws IOException {
        int c = peekNonWs();
        long at = base + pos;
        if (c == '"') {
            pos++;
            captureString(token);
            numBytes = token.bytes;
            numOff = 0;
            numLen = token.len;
        } else if (c == '-' || isDigit(c)) {
            readNumber();
        } else {
            throw malformed(field + " must be a number of microseconds, found " + describe(c));
        }
        long ns = MicrosText.toNanos(numBytes, numOff, numLen);
        if (ns == MicrosText.NOT_A_NUMBER) {
            throw malformedAt(at, field + " (" + prefix(numBytes, numOff, numLen) + ") must be a number of microseconds");
        }
        if (ns == MicrosText.OUT_OF_RANGE) {
            throw malformedAt(at, field + " (" + prefix(numBytes, numOff, numLen) + ") must be a finite number of microseconds"
                    + " within ±4.6e15 (2^62 ns)");
        }
        return ns;
    }

    /** A string value as a word ({@link #readWord}); false (and the value skipped) when it is not a string. */
    private boolean readWordValue() throws IOException {
        if (peekNonWs() != '"') {
            skipValue();
            return false;
        }
        pos++;
        readWord();
        return true;
    }

    /** A string value into {@code into}; false (and the value skipped) when it is not a string. */
    private boolean readString(TokenBuffer into) throws IOException {
        if (peekNonWs() != '"') {
            skipValue();
            return false;
        }
        pos++;
        captureString(into);
        return true;
    }

    // ---- keys ------------------------------------------------------------------------------

    private static final int KEY_OTHER = 0;
    private static final int KEY_PH = 1;
    private static final int KEY_CAT = 2;
    private static final int KEY_NAME = 3;
    private static final int KEY_PID = 4;
    private static final int KEY_TID = 5;
    private static final int KEY_TS = 6;
    private static final int KEY_DUR = 7;
    private static final int KEY_ARGS = 8;

    private static final Word PH = Word.of("ph");
    private static final Word TS = Word.of("ts");
    private static final Word CAT = Word.of("cat");
    private static final Word PID = Word.of("pid");
    private static final Word TID = Word.of("tid");
    private static final Word DUR = Word.of("dur");
    private static final Word NAME = Word.of("name");
    private static final Word ARGS = Word.of("args");
    private static final Word STREAM = Word.of("stream");
    private static final Word GRID = Word.of("grid");
    private static final Word SMS = Word.of("sms");
    private static final Word CORRELATION = Word.of("correlation");
    private static final Word BLOCK = Word.of("block");
    private static final Word REGISTERS_PER_THREAD = Word.of("registers per thread");
    private static final Word SHARED_MEMORY = Word.of("shared memory");
    private static final Word TRACE_EVENTS = Word.of("traceEvents");
    private static final Word DEVICE_PROPERTIES = Word.of("deviceProperties");
    private static final Word DISTRIBUTED_INFO = Word.of("distributedInfo");
    private static final Word ID = Word.of("id");
    private static final Word NUM_SMS = Word.of("numSms");
    private static final Word RANK = Word.of("rank");
    private static final Word KERNEL = Word.of("kernel");
    private static final Word MEMCPY = Word.of("Memcpy");
    private static final Word MEMSET = Word.of("Memset");
    private static final Word GPU_MEMCPY = Word.of("gpu_memcpy");
    private static final Word GPU_MEMSET = Word.of("gpu_memset");
    private static final Word CUDA_DRIVER = Word.of("cuda_driver");
    private static final Word CUDA_RUNTIME = Word.of("cuda_runtime");
    private static final Word USER_ANNOTATION = Word.of("user_annotation");
    private static final Word GPU_USER_ANNOTATION = Word.of("gpu_user_annotation");

    /** A key or short value the scanner looks for, packed for a compare without a loop. */
    private record Word(int len, long w0, long w1, long w2) {
        static Word of(String s) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            long[] w = new long[3];
            for (int i = 0; i < b.length; i++) {
                w[i >> 3] |= (b[i] & 0xFFL) << ((i & 7) * 8);
            }
            return new Word(b.length, w[0], w[1], w[2]);
        }
    }

    // The last string read by readWord: its length and its first 24 bytes, packed as in Word.
    private int wordLen;
    private long w0;
    private long w1;
    private long w2;

    private boolean is(Word w) {
        return wordLen == w.len && w0 == w.w0 && w1 == w.w1 && w2 == w.w2;
    }

    /**
     * Reads a string (its opening quote consumed) as a word: keys, {@code ph} and {@code cat}.
     * When the string lies in the buffer without escapes, nothing is copied.
     */
    private void readWord() throws IOException {
        byte[] b = buf;
        int p = pos;
        int l = limit;
        int q = p;
        while (q < l) {
            byte x = b[q];
            if (x == '"' || x == '\\' || (x & 0xE0) == 0) {
                break;
            }
            q++;
        }
        if (q < l && b[q] == '"') {
            pack(b, p, q - p);
            pos = q + 1;
            return;
        }
        captureString(token);
        pack(token.bytes, 0, token.len);
    }

    private void pack(byte[] b, int off, int len) {
        wordLen = len;
        long a = 0;
        long c = 0;
        long d = 0;
        int n = Math.min(len, 24);
        for (int i = 0; i < n; i++) {
            long v = (b[off + i] & 0xFFL) << ((i & 7) * 8);
            if (i < 8) {
                a |= v;
            } else if (i < 16) {
                c |= v;
            } else {
                d |= v;
            }
        }
        w0 = a;
        w1 = c;
        w2 = d;
    }

    /** Reads {@code "key" :} into {@link #token}; the parser stands on the value afterwards. */
    private void readKey() throws IOException {
        int c = peekNonWs();
        if (c != '"') {
            throw malformed(c < 0 ? "an object is not closed" : "expected a field name, found " + describe(c));
        }
        pos++;
        readWord();
        c = peekNonWs();
        if (c != ':') {
            throw malformed("expected ':' after a field name, found " + describe(c));
        }
        pos++;
    }

    private int readEventKey() throws IOException {
        readKey();
        switch (wordLen) {
            case 2:
                return is(PH) ? KEY_PH : is(TS) ? KEY_TS : KEY_OTHER;
            case 3:
                return is(CAT) ? KEY_CAT : is(PID) ? KEY_PID : is(TID) ? KEY_TID
                        : is(DUR) ? KEY_DUR : KEY_OTHER;
            case 4:
                return is(NAME) ? KEY_NAME : is(ARGS) ? KEY_ARGS : KEY_OTHER;
            default:
                return KEY_OTHER;
        }
    }

    // ---- JSON grammar ------------------------------------------------------------------------

    /** Skips one value of any kind, checking its grammar; nesting on an explicit stack. */
    private void skipValue() throws IOException {
        int c = peekNonWs();
        if (c != '{' && c != '[') {
            skipScalar(c);
            return;
        }
        int depth = 0;
        while (true) {
            // c is the first byte of a value, not consumed.
            if (c == '{' || c == '[') {
                pos++;
                if (depth == nesting.length) {
                    nesting = Arrays.copyOf(nesting, depth * 2);
                }
                nesting[depth++] = (byte) c;
                int next = peekNonWs();
                if (next == (c == '{' ? '}' : ']')) {
                    pos++;
                    depth--;
                } else {
                    if (c == '{') {
                        skipKeyAndColon();
                    }
                    c = peekNonWs();
                    continue;
                }
            } else {
                skipScalar(c);
            }
            // After a value: close containers until a comma continues one, or the outermost closes.
            while (true) {
                if (depth == 0) {
                    return;
                }
                boolean inObject = nesting[depth - 1] == '{';
                int close = inObject ? '}' : ']';
                int next = peekNonWs();
                if (next == ',') {
                    pos++;
                    if (inObject) {
                        skipKeyAndColon();
                    }
                    c = peekNonWs();
                    break;
                }
                if (next == close) {
                    pos++;
                    depth--;
                    continue;
                }
                throw malformed(next < 0 ? (inObject ? "an object is not closed" : "an array is not closed")
                        : "expected ',' or '" + (char) close + "', found " + describe(next));
            }
        }
    }

    private void skipKeyAndColon() throws IOException {
        int c = peekNonWs();
        if (c != '"') {
            throw malformed(c < 0 ? "an object is not closed" : "expected a field name, found " + describe(c));
        }
        pos++;
        skipString();
        c = peekNonWs();
        if (c != ':') {
            throw malformed("expected ':' after a field name, found " + describe(c));
        }
        pos++;
    }

    private void skipScalar(int c) throws IOException {
        switch (c) {
            case '"':
                pos++;
                skipString();
                return;
            case 't':
                literal("true");
                return;
            case 'f':
                literal("false");
                return;
            case 'n':
                literal("null");
                return;
            default:
                if (c == '-' || isDigit(c)) {
                    skipNumber();
                    return;
                }
                throw malformed(c < 0 ? "the file ends where a value should be" : "expected a value, found "
                        + describe(c));
        }
    }

    private void literal(String word) throws IOException {
        for (int i = 0; i < word.length(); i++) {
            int b = peekByte();
            if (b != word.charAt(i)) {
                throw malformed(b < 0 ? "the file ends inside '" + word + "'" : "expected '" + word + "', found "
                        + describe(b));
            }
            pos++;
        }
    }

    // The text of the last number read: in the input buffer when it lay there whole, else in token.
    private byte[] numBytes;
    private int numOff;
    private int numLen;

    /** Reads a JSON number (standing on its first byte) into numBytes/numOff/numLen. */
    private void readNumber() throws IOException {
        byte[] b = buf;
        int p = pos;
        int l = limit;
        int q = p;
        while (q < l && isNumberByte(b[q])) {
            q++;
        }
        if (q < l && q - p <= MAX_NUMBER_CHARS && jsonNumberLength(b, p, q) == q - p) {
            numBytes = b;
            numOff = p;
            numLen = q - p;
            pos = q;
            return;
        }
        scanNumber(token, MAX_NUMBER_CHARS);
        numBytes = token.bytes;
        numOff = 0;
        numLen = token.len;
    }

    private void skipNumber() throws IOException {
        byte[] b = buf;
        int p = pos;
        int l = limit;
        int q = p;
        while (q < l && isNumberByte(b[q])) {
            q++;
        }
        if (q < l && jsonNumberLength(b, p, q) == q - p) {
            pos = q;
            return;
        }
        scanNumber(null, 0);
    }

    private static boolean isNumberByte(byte x) {
        return (x >= '0' && x <= '9') || x == '-' || x == '.' || x == 'e' || x == 'E' || x == '+';
    }

    /** Length of the JSON number that starts at {@code b[from]} and stays before {@code to}, or -1. */
    static int jsonNumberLength(byte[] b, int from, int to) {
        int i = from;
        if (i < to && b[i] == '-') {
            i++;
        }
        if (i >= to) {
            return -1;
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            i++;
            while (i < to && isDigit(b[i])) {
                i++;
            }
        } else {
            return -1;
        }
        if (i < to && b[i] == '.') {
            i++;
            if (i >= to || !isDigit(b[i])) {
                return -1;
            }
            while (i < to && isDigit(b[i])) {
                i++;
            }
        }
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < to && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            if (i >= to || !isDigit(b[i])) {
                return -1;
            }
            while (i < to && isDigit(b[i])) {
                i++;
            }
        }
        return i - from;
    }

    static final long NOT_AN_INTEGER = Long.MIN_VALUE;

    static boolean isIntegerLiteral(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        if (i < end && b[i] == '-') {
            i++;
        }
        if (i == end) {
            return false;
        }
        for (; i < end; i++) {
            if (!isDigit(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** The whole number {@code [-]digits} (at most 18 digits) in {@code b[off, off + len)}, else {@link #NOT_AN_INTEGER}. */
    static long integerOf(byte[] b, int off, int len) {
        if (!isIntegerLiteral(b, off, len)) {
            return NOT_AN_INTEGER;
        }
        boolean negative = b[off] == '-';
        int i = negative ? off + 1 : off;
        int end = off + len;
        if (end - i > 18) {
            return NOT_AN_INTEGER;
        }
        long v = 0;
        for (; i < end; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return negative ? -v : v;
    }

    /** The start of a text, for a message. */
    static String prefix(byte[] b, int off, int len) {
        String s = new String(b, off, Math.min(len, 40), StandardCharsets.UTF_8);
        return len > 40 ? s + "…" : s;
    }

    /** A JSON number; its text into {@code into} when not null (at most {@code maxChars}). */
    private void scanNumber(TokenBuffer into, int maxChars) throws IOException {
        long start = base + pos;
        if (into != null) {
            into.len = 0;
        }
        int c = peekByte();
        if (c == '-') {
            take(into, c);
            c = peekByte();
        }
        if (c == '0') {
            take(into, c);
            c = peekByte();
        } else if (c >= '1' && c <= '9') {
            c = digits(into);
        } else {
            throw malformed("a number needs a digit here, found " + describe(c));
        }
        if (c == '.') {
            take(into, c);
            c = peekByte();
            if (!isDigit(c)) {
                throw malformed("a number needs a digit after '.', found " + describe(c));
            }
            c = digits(into);
        }
        if (c == 'e' || c == 'E') {
            take(into, c);
            c = peekByte();
            if (c == '+' || c == '-') {
                take(into, c);
                c = peekByte();
            }
            if (!isDigit(c)) {
                throw malformed("a number needs a digit in its exponent, found " + describe(c));
            }
            digits(into);
        }
        if (into != null && into.len > maxChars) {
            throw malformedAt(start, "a number of more than " + maxChars + " characters (" + into.prefix()
                    + ") is longer than the " + maxChars + " this field may have");
        }
    }

    private int digits(TokenBuffer into) throws IOException {
        int c = peekByte();
        while (isDigit(c)) {
            take(into, c);
            c = peekByte();
        }
        return c;
    }

    private void take(TokenBuffer into, int c) {
        pos++;
        if (into != null && into.len <= MAX_NUMBER_CHARS) {
            into.append((byte) c);
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** Skips a string's content and closing quote (the opening one is consumed). */
    private void skipString() throws IOException {
        while (true) {
            byte[] b = buf;
            int p = pos;
            int l = limit;
            while (p < l) {
                byte x = b[p];
                if (x == '"') {
                    pos = p + 1;
                    return;
                }
                if (x == '\\') {
                    pos = p + 1;
                    escape(null);
                    b = buf;
                    p = pos;
                    l = limit;
                    continue;
                }
                if ((x & 0xE0) == 0) {
                    pos = p;
                    throw controlCharacter(x);
                }
                p++;
            }
            pos = p;
            if (!fill()) {
                throw malformed("a string is not closed");
            }
        }
    }

    /** Decodes a string's content into {@code into} (the opening quote is consumed). */
    private void captureString(TokenBuffer into) throws IOException {
        into.len = 0;
        long start = base + pos;
        while (true) {
            byte[] b = buf;
            int p = pos;
            int l = limit;
            int run = p;
            while (p < l) {
                byte x = b[p];
                if (x == '"') {
                    into.append(b, run, p - run);
                    pos = p + 1;
                    return;
                }
                if (x == '\\') {
                    into.append(b, run, p - run);
                    pos = p + 1;
                    escape(into);
                    b = buf;
                    p = pos;
                    l = limit;
                    run = p;
                    continue;
                }
                if ((x & 0xE0) == 0) {
                    pos = p;
                    throw controlCharacter(x);
                }
                p++;
            }
            into.append(b, run, p - run);
            pos = p;
            if (into.len > MAX_CAPTURED) {
                throw malformedAt(start, "a string the reader needs (a name, category or key) is longer than "
                        + (MAX_CAPTURED >> 20) + " MiB");
            }
            if (!fill()) {
                throw malformed("a string is not closed");
            }
        }
    }

    /** One escape after its backslash; decoded into {@code into} when not null. */
    private void escape(TokenBuffer into) throws IOException {
        int c = peekByte();
        pos++;
        switch (c) {
            case '"':
            case '\\':
            case '/':
                if (into != null) {
                    into.append((byte) c);
                }
                return;
            case 'b':
                put(into, '\b');
                return;
            case 'f':
                put(into, '\f');
                return;
            case 'n':
                put(into, '\n');
                return;
            case 'r':
                put(into, '\r');
                return;
            case 't':
                put(into, '\t');
                return;
            case 'u':
                int unit = hex4();
                if (into == null) {
                    return;
                }
                if (Character.isHighSurrogate((char) unit) && ensure(6) && buf[pos] == '\\' && buf[pos + 1] == 'u') {
                    pos += 2;
                    int low = hex4();
                    if (Character.isLowSurrogate((char) low)) {
                        into.appendCodePoint(Character.toCodePoint((char) unit, (char) low));
                    } else {
                        into.appendCodePoint(0xFFFD);
                        into.appendCodePoint(Character.isSurrogate((char) low) ? 0xFFFD : low);
                    }
                    return;
                }
                into.appendCodePoint(Character.isSurrogate((char) unit) ? 0xFFFD : unit);
                return;
            default:
                pos--;
                throw malformed(c < 0 ? "a string is not closed" : "invalid escape '\\" + (char) c + "' in a string");
        }
    }

    private static void put(TokenBuffer into, char c) {
        if (into != null) {
            into.append((byte) c);
        }
    }

    private int hex4() throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int c = peekByte();
            int d = Character.digit(c < 0 ? -1 : c, 16);
            if (c < 0 || c > 'f' || d < 0) {
                throw malformed("\\u needs four hex digits, found " + describe(c));
            }
            pos++;
            v = v * 16 + d;
        }
        return v;
    }

    private Malformed controlCharacter(byte x) {
        return malformed(String.format("control character 0x%02x in a string (JSON needs it escaped)", x));
    }

    // ---- the byte window ---------------------------------------------------------------------

    /** Skips whitespace; the next byte (not consumed), or -1 at the end of the input. */
    private int peekNonWs() throws IOException {
        while (true) {
            byte[] b = buf;
            int p = pos;
            int l = limit;
            while (p < l) {
                byte x = b[p];
                if (x > ' ') {
                    pos = p;
                    return x;
                }
                if (x == ' ') {
                    // Pretty-printed traces indent every line: skip eight blanks at a time.
                    p++;
                    while (p + 8 <= l && (long) LONGS.get(b, p) == EIGHT_BLANKS) {
                        p += 8;
                    }
                    continue;
                }
                if (x == '\n' || x == '\r' || x == '\t') {
                    p++;
                    continue;
                }
                pos = p;
                return x & 0xFF;
            }
            pos = p;
            if (!fill()) {
                return -1;
            }
        }
    }

    /** The next byte (not consumed), or -1 at the end of the input. */
    private int peekByte() throws IOException {
        if (pos < limit || fill()) {
            return buf[pos] & 0xFF;
        }
        return -1;
    }

    /** Refills the buffer once it is used up; false at the end of the input. */
    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        if (eof) {
            return false;
        }
        base += limit;
        pos = 0;
        limit = 0;
        while (limit == 0) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                return false;
            }
            limit = n;
        }
        return true;
    }

    /** Makes at least {@code n} bytes available from {@code pos} (moving them to the buffer's start); false near the end. */
    private boolean ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        base += pos;
        limit -= pos;
        pos = 0;
        while (limit < n && !eof) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    // ---- errors ------------------------------------------------------------------------------

    private Malformed malformed(String what) {
        return new Malformed(base + pos, eventIndex, what);
    }

    private Malformed malformedAt(long offset, String what) {
        return new Malformed(offset, eventIndex, what);
    }

    /** Current absolute offset, for a message about input that failed after this scanner started. */
    long offset() {
        return base + pos;
    }

    /** Index (within this part) of the event being read, or -1 outside the events array. */
    long eventIndex() {
        return eventIndex;
    }

    private static String describe(int c) {
        if (c < 0) {
            return "the end of the file";
        }
        switch (c) {
            case '{': return "an object";
            case '[': return "an array";
            case '"': return "a string";
            case 't':
            case 'f': return "a boolean";
            case 'n': return "null";
            case '}': return "'}'";
            case ']': return "']'";
            default:
                if (c == '-' || isDigit(c)) {
                    return "a number";
                }
                return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
        }
    }

    /**
     * The input breaks JSON's grammar or the trace schema's value rules.
     * {@code offset} is -1 for a rule about the whole document.
     */
    static final class Malformed extends RuntimeException {
        final long offset;
        final long eventIndex;
        final String what;

        Malformed(long offset, long eventIndex, String what) {
            super(what, null, false, false);
            this.offset = offset;
            this.eventIndex = eventIndex;
            this.what = what;
        }

        static Malformed unpositioned(String what) {
            return new Malformed(-1, -1, what);
        }
    }

    /** Unwinds a part that reached the start of the next part: not an error. */
    static final class ReachedNextPart extends RuntimeException {
        static final ReachedNextPart INSTANCE = new ReachedNextPart();

        private ReachedNextPart() {
            super(null, null, false, false);
        }
    }

    /** A growable byte buffer for a decoded string or a number's text. */
    static final class TokenBuffer {
        byte[] bytes = new byte[256];
        int len;

        void append(byte b) {
            if (len == bytes.length) {
                bytes = Arrays.copyOf(bytes, len * 2);
            }
            bytes[len++] = b;
        }

        void append(byte[] src, int off, int n) {
            if (len + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, len + n));
            }
            System.arraycopy(src, off, bytes, len, n);
            len += n;
        }

        void appendCodePoint(int cp) {
            byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            append(utf8, 0, utf8.length);
        }

        boolean is(byte[] literal) {
            return len == literal.length && Arrays.equals(bytes, 0, len, literal, 0, len);
        }

        void trim() {
            int start = 0;
            while (start < len && bytes[start] == ' ') {
                start++;
            }
            int end = len;
            while (end > start && bytes[end - 1] == ' ') {
                end--;
            }
            System.arraycopy(bytes, start, bytes, 0, end - start);
            len = end - start;
        }

        boolean allDigits() {
            for (int i = 0; i < len; i++) {
                if (!isDigit(bytes[i])) {
                    return false;
                }
            }
            return true;
        }

        String string() {
            return new String(bytes, 0, len, StandardCharsets.UTF_8);
        }

        /** The start of the text, for a message. */
        String prefix() {
            return EventScanner.prefix(bytes, 0, len);
        }
    }
}
