package io.parabench.analysis.chart;

/**
 * Readable kernel names for chart labels. Real kernel names are demangled C++ signatures of
 * several hundred characters ({@code void dpsk::ep::internode::combine<false, 8, …>(int4*, …)});
 * a label keeps the qualified function name and drops the return type, template arguments and
 * parameter list.
 */
public final class KernelNames {
    /** Longest label kept; longer ones end in an ellipsis. */
    public static final int MAX_LENGTH = 60;

    private KernelNames() {
    }

    public static String shorten(String name) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '<' && !name.startsWith("<", i + 1)) {
                if (depth++ == 0) {
                    sb.append("<…>");
                }
            } else if (c == '>' && depth > 0) {
                depth--;
            } else if (c == '(' && depth == 0 && i > 0 && !name.startsWith("(anonymous", i)) {
                break;
            } else if (depth == 0) {
                sb.append(c);
            }
        }
        String s = sb.toString().trim();
        if (s.startsWith("void ")) {
            s = s.substring(5);
        }
        if (s.isEmpty()) {
            s = name;
        }
        return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH - 1) + "…" : s;
    }
}
