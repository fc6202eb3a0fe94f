package io.parabench.analysis.read;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The decompressed bytes of a gzip file (RFC 1952), stricter than {@link java.util.zip.GZIPInputStream}:
 * every member's header, CRC-32 and length are checked, a file cut inside its header or data
 * is an error that says so (the JDK's stream says {@code null} for a cut header), and bytes
 * after the last member that are not another member are an error (the JDK's stream silently
 * ignores them). Messages give the offset in the compressed file. Not thread-safe.
 */
final class GzipInput extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream raw;
    private final byte[] in = new byte[1 << 16];
    private int inPos;
    private int inLimit;
    /** Compressed offset of {@code in[0]}. */
    private long inBase;
    private boolean rawEof;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberBytes;
    private int members;
    private boolean inMember;
    /** The current member's data is all handed out; its trailer is checked next. */
    private boolean dataEnded;
    private boolean done;

    GzipInput(InputStream raw) {
        this.raw = raw;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!done) {
            if (dataEnded) {
                dataEnded = false;
                endMember();
            }
            if (!inMember) {
                if (!startMember()) {
                    done = true;
                    break;
                }
            }
            if (inflater.needsInput()) {
                if (!fillInput()) {
                    throw new EOFException("gzip data ends at compressed byte " + compressedOffset()
                            + " before its compressed stream is complete (truncated file?)");
                }
                inflater.setInput(in, inPos, inLimit - inPos);
            }
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new IOException("gzip data is corrupt near compressed byte " + compressedOffset() + ": "
                        + e.getMessage(), e);
            }
            inPos = inLimit - inflater.getRemaining();
            if (n > 0) {
                crc.update(b, off, n);
                memberBytes += n;
            }
            if (inflater.finished()) {
                if (n > 0) {
                    // hand out the member's last bytes first, check its trailer on the next read: the reader
                    // then fails at the end of the data whatever its buffer size (or thread: ReadAheadInput)
                    dataEnded = true;
                    return n;
                }
                endMember();
            } else if (n == 0 && inflater.needsDictionary()) {
                throw new IOException("gzip data at compressed byte " + compressedOffset()
                        + " needs a preset dictionary, which gzip files never use (corrupt file?)");
            }
            if (n > 0) {
                return n;
            }
        }
        return -1;
    }

    private long compressedOffset() {
        return inBase + inPos;
    }

    /** Reads a member's header; false at the clean end of the file after at least one member. */
    private boolean startMember() throws IOException {
        long start = compressedOffset();
        int b0 = next(-1);
        if (b0 < 0) {
            if (members == 0) {
                throw new EOFException("gzip file is empty");
            }
            return false;
        }
        int b1 = next(start);
        if (b0 != 0x1f || b1 != 0x8b) {
            throw new IOException(members == 0 ? "not a gzip file (no 1f 8b magic bytes)"
                    : "unexpected data at compressed byte " + start + " after the end of the gzip data"
                    + " (trailing garbage or a corrupt file)");
        }
        int method = next(start);
        if (method != 8) {
            throw new IOException("gzip member at compressed byte " + start + " uses compression method " + method
                    + "; only deflate (8) exists");
        }
        int flags = next(start);
        for (int i = 0; i < 6; i++) {
            next(start);  // mtime, extra flags, OS
        }
        if ((flags & FEXTRA) != 0) {
            int n = next(start) | next(start) << 8;
            for (int i = 0; i < n; i++) {
                next(start);
            }
        }
        if ((flags & FNAME) != 0) {
            while (next(start) != 0) {
                // the original file name, zero-terminated
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (next(start) != 0) {
                // a comment, zero-terminated
            }
        }
        if ((flags & FHCRC) != 0) {
            next(start);
            next(start);
        }
        inflater.reset();
        crc.reset();
        memberBytes = 0;
        inMember = true;
        members++;
        return true;
    }

    private void endMember() throws IOException {
        long start = compressedOffset();
        long expectedCrc = readLe32(start);
        long expectedSize = readLe32(start);
        if (expectedCrc != crc.getValue()) {
            throw new IOException("gzip member ending at compressed byte " + start + " fails its CRC-32 check"
                    + " (corrupt file)");
        }
        if (expectedSize != (memberBytes & 0xFFFFFFFFL)) {
            throw new IOException("gzip member ending at compressed byte " + start + " holds " + memberBytes
                    + " bytes but its trailer says " + expectedSize + " (corrupt file)");
        }
        inMember = false;
    }

    private long readLe32(long memberEnd) throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int b = next(-2);
            if (b < 0) {
                throw new EOFException("gzip file ends inside the trailer that follows compressed byte " + memberEnd
                        + " (truncated file?)");
            }
            v |= (long) b << (8 * i);
        }
        return v;
    }

    /**
     * The next compressed byte. At the end of the file: -1 when {@code headerStart} is -1 or -2
     * (the caller words the error), else an error about a header cut short.
     */
    private int next(long headerStart) throws IOException {
        if (inPos == inLimit && !fillInput()) {
            if (headerStart < 0) {
                return -1;
            }
            throw new EOFException("gzip header starting at compressed byte " + headerStart + " is cut off after "
                    + (compressedOffset() - headerStart) + " bytes (truncated file?)");
        }
        return in[inPos++] & 0xFF;
    }

    /** Refills the compressed buffer once it is used up; false at the end of the file. */
    private boolean fillInput() throws IOException {
        if (inPos < inLimit) {
            return true;
        }
        if (rawEof) {
            return false;
        }
        inBase += inLimit;
        inPos = 0;
        inLimit = 0;
        while (inLimit == 0) {
            int n = raw.read(in, 0, in.length);
            if (n < 0) {
                rawEof = true;
                return false;
            }
            inLimit = n;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        raw.close();
    }
}
