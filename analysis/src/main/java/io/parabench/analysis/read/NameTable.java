package io.parabench.analysis.read;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Interned event names: each distinct name is stored once and events refer to it by an
 * {@code int} id. Real traces repeat a few hundred kernel names hundreds of thousands of times,
 * so this is what keeps the reader's memory proportional to the number of events, not to their
 * text.
 *
 * <p>The reader looks names up by their UTF-8 bytes, straight from its input buffer: a name
 * already seen costs a hash and a compare, and only a new name becomes a {@link String}.
 * Open addressing over {@code int} slots, so millions of distinct names stay linear.
 *
 * <p>Not thread-safe while being filled; read-only (and safe to share) once the reader is done.
 */
public final class NameTable {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final List<String> names = new ArrayList<>();
    private byte[] arena = new byte[4096];
    private int arenaUsed;
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private int[] hashes = new int[64];
    /** Slot → id + 1; 0 is empty. Length is a power of two, at most half full. */
    private int[] slots = new int[128];

    /** The id of {@code name}, adding it when new. */
    int intern(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return intern(utf8, 0, utf8.length, name);
    }

    /** The id of the name whose UTF-8 bytes are {@code bytes[off, off + len)}, adding it when new. */
    int intern(byte[] bytes, int off, int len) {
        return intern(bytes, off, len, null);
    }

    private int intern(byte[] bytes, int off, int len, String known) {
        int hash = hash(bytes, off, len);
        int mask = slots.length - 1;
        for (int s = hash & mask; ; s = (s + 1) & mask) {
            int id = slots[s] - 1;
            if (id < 0) {
                int added = add(bytes, off, len, hash, known);
                slots[s] = added + 1;
                if (names.size() * 2 > slots.length) {
                    rehash();
                }
                return added;
            }
            if (hashes[id] == hash && lengths[id] == len
                    && Arrays.equals(arena, offsets[id], offsets[id] + len, bytes, off, off + len)) {
                return id;
            }
        }
    }

    private int add(byte[] bytes, int off, int len, int hash, String known) {
        int id = names.size();
        if (id == offsets.length) {
            offsets = Arrays.copyOf(offsets, id * 2);
            lengths = Arrays.copyOf(lengths, id * 2);
            hashes = Arrays.copyOf(hashes, id * 2);
        }
        if (arenaUsed + len > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + len));
        }
        System.arraycopy(bytes, off, arena, arenaUsed, len);
        offsets[id] = arenaUsed;
        lengths[id] = len;
        hashes[id] = hash;
        arenaUsed += len;
        names.add(known != null ? known : new String(bytes, off, len, StandardCharsets.UTF_8));
        return id;
    }

    private void rehash() {
        int[] grown = new int[slots.length * 2];
        int mask = grown.length - 1;
        for (int id = 0; id < names.size(); id++) {
            int s = hashes[id] & mask;
            while (grown[s] != 0) {
                s = (s + 1) & mask;
            }
            grown[s] = id + 1;
        }
        slots = grown;
    }

    /**
     * Eight bytes a step (names are 20–300 bytes of C++ signature), then a final mix so that
     * linear probing spreads names that share a long prefix.
     */
    private static int hash(byte[] b, int off, int len) {
        long h = len * 0x9E3779B97F4A7C15L;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(b, i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        for (; i < end; i++) {
            h = (h ^ (b[i] & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }

    /**
     * Ids for every name of {@code other} in this table, adding the new ones: merging the
     * names of the parts of a file read in parallel.
     */
    int[] absorb(NameTable other) {
        int[] map = new int[other.size()];
        for (int id = 0; id < map.length; id++) {
            map[id] = intern(other.arena, other.offsets[id], other.lengths[id], other.names.get(id));
        }
        return map;
    }

    /** The name with this id. */
    public String name(int id) {
        return names.get(id);
    }

    /** The id of {@code name}, or -1 when no event has it. */
    public int find(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        int hash = hash(utf8, 0, utf8.length);
        int mask = slots.length - 1;
        for (int s = hash & mask; ; s = (s + 1) & mask) {
            int id = slots[s] - 1;
            if (id < 0) {
                return -1;
            }
            if (hashes[id] == hash && lengths[id] == utf8.length
                    && Arrays.equals(arena, offsets[id], offsets[id] + utf8.length, utf8, 0, utf8.length)) {
                return id;
            }
        }
    }

    /** How many distinct names there are; ids run from 0 to {@code size() - 1}. */
    public int size() {
        return names.size();
    }
}
