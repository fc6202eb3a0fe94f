package io.parabench.output;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Puts the output's name into every write failure: "No space left on device" alone does not
 * say which of eight trace files could not be written. Buffers like a BufferedOutputStream.
 */
final class NamedStream extends FilterOutputStream {
    private final String name;

    NamedStream(OutputStream out, String name) {
        super(new java.io.BufferedOutputStream(out, 1 << 16));
        this.name = name;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (IOException e) {
            throw named(e);
        }
    }

    private IOException named(IOException e) {
        return e.getMessage() != null && e.getMessage().startsWith("cannot write ") ? e
                : new IOException("cannot write " + name + ": " + e.getMessage(), e);
    }
}
