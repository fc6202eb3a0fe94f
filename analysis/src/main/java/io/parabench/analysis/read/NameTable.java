package io.parabench.analysis.read;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interned event names: each distinct name is stored once and events refer to it by an
 * {@code int} id. Real traces repeat a few hundred kernel names hundreds of thousands of times,
 * so this is what keeps the reader's memory proportional to the number of events, not to their
 * text.
 *
 * <p>Not thread-safe while being filled; read-only (and safe to share) once the reader is done.
 */
public final class NameTable {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    /** The id of {@code name}, adding it when new. */
    int intern(String name) {
        Integer id = ids.get(name);
        if (id != null) {
            return id;
        }
        int next = names.size();
        ids.put(name, next);
        names.add(name);
        return next;
    }

    /** The name with this id. */
    public String name(int id) {
        return names.get(id);
    }

    /** The id of {@code name}, or -1 when no event has it. */
    public int find(String name) {
        Integer id = ids.get(name);
        return id == null ? -1 : id;
    }

    /** How many distinct names there are; ids run from 0 to {@code size() - 1}. */
    public int size() {
        return names.size();
    }
}
