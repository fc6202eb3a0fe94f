package io.parabench.analysis.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The bytes of a source stream, read ahead on a thread of their own: how a gzip trace is
 * inflated on one core while {@link EventScanner} scans the inflated JSON on another. A gzip
 * file cannot be cut into ranges as a plain one is (a deflate stream has no boundaries to start
 * at), so inflating and scanning, once one after the other on one thread, now overlap; the read
 * takes about as long as the slower of the two instead of their sum.
 *
 * <p>{@value #CHUNKS} chunks of {@value #CHUNK_BYTES} bytes circulate between the two threads
 * (filled by the reader, emptied by the consumer, then reused), so memory stays at 1 MiB
 * whatever the file, and no chunk is a humongous allocation for G1.
 *
 * <p>The consumer sees exactly the bytes, end and failure the source gives, in order: a
 * failure of the source (a truncated or corrupt gzip file) is rethrown, the same exception,
 * only after every byte read before it has been consumed, so messages and offsets are those of
 * reading the source directly. {@link #close()} stops the reader thread and closes the source.
 * One consumer thread; not otherwise thread-safe.
 */
final class ReadAheadInput extends InputStream {
    static final int CHUNK_BYTES = 256 * 1024;
    static final int CHUNKS = 4;

    /** A filled chunk: {@code length} bytes, or the end ({@code length} -1), or a failure. */
    private record Chunk(byte[] bytes, int length, Throwable failure) {
    }

    private final InputStream source;
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final Thread reader;
    private Chunk current;
    private int pos;
    private boolean ended;
    private volatile boolean closed;

    /**
     * Starts reading {@code source} ahead on a daemon thread named {@code threadName}.
     */
    ReadAheadInput(InputStream source, String threadName) {
        this.source = source;
        for (int i = 0; i < CHUNKS; i++) {
            empty.add(new byte[CHUNK_BYTES]);
        }
        reader = new Thread(this::readAhead, threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead() {
        try {
            while (!closed) {
                byte[] chunk = empty.take();
                int n = 0;
                int r = 0;
                Throwable failure = null;
                try {
                    while (n < chunk.length && (r = source.read(chunk, n, chunk.length - n)) >= 0) {
                        n += r;
                    }
                } catch (IOException | RuntimeException | Error e) {
                    failure = e;
                }
                if (n > 0) {
                    filled.put(new Chunk(chunk, n, null));  // the bytes read before a failure come first
                }
                if (failure != null || r < 0) {
                    filled.put(new Chunk(null, -1, failure));
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed by the consumer: nobody reads what would come next
        }
    }

    @Override
    public int read() throws IOException {
        if (!hasBytes(1)) {
            return -1;
        }
        return current.bytes()[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!hasBytes(len)) {
            return -1;
        }
        int n = Math.min(len, current.length() - pos);
        System.arraycopy(current.bytes(), pos, b, off, n);
        pos += n;
        return n;
    }

    /** Makes the current chunk one with unread bytes; false at the end of the source. */
    private boolean hasBytes(int wanted) throws IOException {
        if (current != null && pos < current.length()) {
            return true;
        }
        if (ended) {
            return false;
        }
        if (current != null) {
            empty.add(current.bytes());
            current = null;
        }
        Chunk next;
        try {
            next = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + wanted + " bytes of input");
        }
        if (next.failure() != null) {
            ended = true;
            rethrow(next.failure());
        }
        if (next.length() < 0) {
            ended = true;
            return false;
        }
        current = next;
        pos = 0;
        return true;
    }

    private static void rethrow(Throwable failure) throws IOException {
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        throw (Error) failure;
    }

    /** Stops the reader thread (waiting for it, so the source is no longer in use) and closes the source. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        reader.interrupt();
        boolean interrupted = false;
        while (reader.isAlive()) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
