package io.parabench.analysis.read;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadAheadInputTest {
    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    /** Reads everything with reads of odd sizes (and single bytes), as the scanner's refills are. */
    private static byte[] drain(InputStream in, ByteArrayOutputStream out) throws IOException {
        byte[] buf = new byte[7919];
        for (int round = 0; ; round++) {
            if (round % 5 == 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                out.write(b);
                continue;
            }
            int n = in.read(buf, 3, 1 + round % 7000);
            if (n < 0) {
                break;
            }
            out.write(buf, 3, n);
        }
        return out.toByteArray();
    }

    @Test
    void shouldGiveTheSourcesBytesInOrderAcrossManyChunks() throws IOException {
        byte[] data = randomBytes(ReadAheadInput.CHUNKS * ReadAheadInput.CHUNK_BYTES * 3 + 12345);
        try (ReadAheadInput in = new ReadAheadInput(new ByteArrayInputStream(data), "test-read-ahead")) {
            assertArrayEquals(data, drain(in, new ByteArrayOutputStream()));
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[4], 0, 4));
        }
    }

    @Test
    void shouldRethrowTheSourcesFailureOnlyAfterTheBytesBeforeIt() throws IOException {
        byte[] data = randomBytes(ReadAheadInput.CHUNK_BYTES * 2 + 999);
        EOFException cut = new EOFException("gzip data ends at compressed byte 77");
        InputStream failing = new InputStream() {
            private int at;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at == data.length) {
                    throw cut;
                }
                int n = Math.min(Math.min(len, 5000), data.length - at);
                System.arraycopy(data, at, b, off, n);
                at += n;
                return n;
            }
        };
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (ReadAheadInput in = new ReadAheadInput(failing, "test-read-ahead")) {
            EOFException thrown = assertThrows(EOFException.class, () -> drain(in, got));
            assertSame(cut, thrown, "the source's exception itself, message unchanged");
        }
        assertArrayEquals(data, got.toByteArray());
    }

    @Test
    void shouldStopItsThreadAndCloseTheSourceWhenClosedEarly() throws IOException, InterruptedException {
        boolean[] closed = {false};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ReadAheadInput in = new ReadAheadInput(endless, "test-read-ahead-early-close");
        assertEquals('x', in.read());
        in.close();
        assertTrue(closed[0]);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().equals("test-read-ahead-early-close") && t.isAlive(), "reader thread still running");
        }
    }
}
