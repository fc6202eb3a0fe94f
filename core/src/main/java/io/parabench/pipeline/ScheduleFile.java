package io.parabench.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Schedules written by hand or by other tools, in three forms, read into a validated
 * {@link Schedule} (and written back in the two that are not this suite's own JSON):
 * <ul>
 *   <li><b>reference JSON</b>: {@code {"kind", "ranks", "chunks", "ops": [[tokens…]…]}} as
 *       {@code schedule --format json} writes and {@code reference-schedules.json} holds. A known
 *       {@code kind} gives the stage layout; another kind needs {@code "layout"} when a rank holds
 *       more than one chunk;</li>
 *   <li><b>token text</b>: one line per rank, {@code rank R: F0:0 F0:1 B0:0 …} (as
 *       {@code schedule} prints) or just the tokens; {@code #} comments; an optional line
 *       {@code layout: one-stage|v|dualpipe|interleaved};</li>
 *   <li><b>torch CSV</b>: torch.distributed.pipelining's action format, one row per rank, one
 *       action per cell ({@code 0F0}, {@code 7I3}, {@code 3W2}, {@code 1B0}); communication and
 *       sharding actions ({@code SEND_F}, {@code RECV_B}, {@code UNSHARD}, {@code RESHARD},
 *       {@code REDUCE_GRAD}) are skipped. Stages say the layout: one per rank, a V (r and
 *       2P−1−r) or interleaved (c·P + r).</li>
 * </ul>
 * A form is told by its content ({@code {} JSON, a cell like {@code 0F0} CSV, else tokens). The
 * layouts: {@code one-stage} (stage r on rank r), {@code v} (DualPipeV/ZB-V), {@code dualpipe}
 * (two directions), {@code interleaved} (chunks per rank = virtual stages). Every error names the
 * file, the place and the rule; a schedule that breaks a dependency is rejected by
 * {@link ScheduleValidator} with the op that waits.
 */
public final class ScheduleFile {
    private static final Pattern TORCH_ACTION = Pattern.compile(
            "(\\d+)(F|I|B|W|UNSHARD|RESHARD|SEND_F|RECV_F|SEND_B|RECV_B|REDUCE_GRAD)(\\d*)");
    private static final Pattern RANK_LINE = Pattern.compile("rank\\s+(\\d+)\\s*:(.*)");
    private static final String LAYOUTS = "one-stage, v, dualpipe or interleaved";

    private ScheduleFile() {
    }

    /** Reads and validates a schedule file in any of the three forms. */
    public static Schedule read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("schedule file (" + file + ") must be an existing file");
        }
        return parse(Files.readString(file), file.toString());
    }

    /** Parses and validates a schedule in any of the three forms; {@code source} names it in errors. */
    public static Schedule parse(String content, String source) {
        String trimmed = content.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("schedule file (" + source + ") is empty");
        }
        Schedule schedule;
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            schedule = json(trimmed, source);
        } else if (firstCell(trimmed).matches("\\d+[A-Z_]+\\d*")) {
            schedule = torchCsv(trimmed, source);
        } else {
            schedule = tokens(trimmed, source);
        }
        try {
            ScheduleValidator.validate(schedule);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule file (" + source + ") is not a valid schedule: " + e.getMessage(), e);
        }
        return schedule;
    }

    private static String firstCell(String content) {
        String line = content.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElse("");
        int comma = line.indexOf(',');
        return (comma < 0 ? line : line.substring(0, comma)).strip();
    }

    private static Schedule json(String content, String source) {
        try (JsonParser p = new JsonFactory().createParser(content)) {
            JsonToken t = p.nextToken();
            boolean wrapped = t == JsonToken.START_ARRAY;
            if (wrapped) {
                t = p.nextToken();
            }
            if (t != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("schedule file (" + source + ") must hold one JSON object"
                        + " {\"kind\", \"ranks\", \"chunks\", \"ops\"}");
            }
            String kind = "custom";
            String layout = null;
            int ranks = -1;
            int chunks = -1;
            List<List<String>> tokens = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "kind" -> kind = p.getText();
                    case "layout" -> layout = p.getText();
                    case "ranks" -> ranks = p.getIntValue();
                    case "chunks" -> chunks = p.getIntValue();
                    case "ops" -> tokens = opLists(p, value, source);
                    default -> p.skipChildren();
                }
            }
            if (wrapped && p.nextToken() != JsonToken.END_ARRAY) {
                throw new IllegalArgumentException("schedule file (" + source + ") holds several schedules; it must hold one");
            }
            if (tokens == null || tokens.isEmpty()) {
                throw new IllegalArgumentException("schedule file (" + source + ") must have \"ops\": one token list per rank");
            }
            if (ranks >= 0 && ranks != tokens.size()) {
                throw new IllegalArgumentException("schedule file (" + source + "): \"ranks\" (" + ranks
                        + ") must equal the number of op lists (" + tokens.size() + ")");
            }
            return fromTokens(kind, layout, chunks, tokens, source);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("schedule file (" + source + ") is malformed JSON at line "
                    + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<List<String>> opLists(JsonParser p, JsonToken value, String source) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("schedule file (" + source + "): \"ops\" must be a list of token lists");
        }
        List<List<String>> tokens = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_ARRAY) {
            List<String> rank = new ArrayList<>();
            while (p.nextToken() == JsonToken.VALUE_STRING) {
                rank.add(p.getText());
            }
            if (p.currentToken() != JsonToken.END_ARRAY) {
                throw new IllegalArgumentException("schedule file (" + source + "): rank " + tokens.size()
                        + " of \"ops\" must hold token strings like \"F0:3\"");
            }
            tokens.add(rank);
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IllegalArgumentException("schedule file (" + source + "): \"ops\" must be a list of token lists");
        }
        return tokens;
    }

    private static Schedule tokens(String content, String source) {
        List<List<String>> tokens = new ArrayList<>();
        String layout = null;
        String kind = "custom";
        int lineNo = 0;
        for (String line : content.lines().toList()) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.toLowerCase(Locale.ROOT).startsWith("layout:")) {
                layout = l.substring("layout:".length()).strip();
                continue;
            }
            if (l.toLowerCase(Locale.ROOT).startsWith("kind:")) {
                kind = l.substring("kind:".length()).strip();
                continue;
            }
            Matcher m = RANK_LINE.matcher(l);
            if (m.matches()) {
                if (Integer.parseInt(m.group(1)) != tokens.size()) {
                    throw new IllegalArgumentException("schedule file (" + source + ") line " + lineNo + ": rank "
                            + m.group(1) + " must be rank " + tokens.size() + " (ranks in order from 0)");
                }
                l = m.group(2).strip();
            }
            tokens.add(l.isEmpty() ? List.of() : List.of(l.split("\\s+")));
        }
        return fromTokens(kind, layout, -1, tokens, source);
    }

    private static Schedule fromTokens(String kind, String layoutName, int chunks, List<List<String>> tokens, String source) {
        int ranks = tokens.size();
        List<List<Op>> ops = new ArrayList<>();
        int chunksPerRank = 1;
        int microBatches = 0;
        for (int r = 0; r < ranks; r++) {
            List<Op> rankOps = new ArrayList<>();
            for (String token : tokens.get(r)) {
                Op op;
                try {
                    op = Op.parse(token);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("schedule file (" + source + ") rank " + r + ": " + e.getMessage(), e);
                }
                chunksPerRank = Math.max(chunksPerRank, 1 + Math.max(op.chunk(), op.backwardChunk()));
                microBatches = Math.max(microBatches, 1 + Math.max(op.microBatch(), op.backwardMicroBatch()));
                rankOps.add(op);
            }
            ops.add(rankOps);
        }
        PipelineLayout layout = null;
        ScheduleKind known = knownKind(kind);
        if (layoutName == null && known != null) {
            layout = known.generate(ranks, known == ScheduleKind.DUALPIPE ? 2 * microBatches : microBatches,
                    Math.max(2, chunksPerRank)).layout();
        } else if (layoutName == null && chunksPerRank == 1) {
            layout = PipelineLayout.oneStagePerRank(ranks, microBatches);
        } else if (layoutName == null) {
            throw new IllegalArgumentException("schedule file (" + source + ") puts " + chunksPerRank
                    + " chunks on a rank: say which layout with \"layout\" (" + LAYOUTS + ")");
        } else {
            layout = layout(layoutName, ranks, chunksPerRank, microBatches, source);
        }
        int stepChunks = layout.flows() == 2 ? 2 * layout.microBatches(0) : layout.microBatches(0);
        if (chunks >= 0 && chunks != stepChunks) {
            throw new IllegalArgumentException("schedule file (" + source + "): \"chunks\" (" + chunks
                    + ") must equal the micro-batches its ops use (" + stepChunks + ")");
        }
        return new Schedule(kind, stepChunks, layout, ops);
    }

    private static ScheduleKind knownKind(String kind) {
        for (ScheduleKind k : ScheduleKind.values()) {
            if (k.cliName().equals(kind)) {
                return k;
            }
        }
        return null;
    }

    private static PipelineLayout layout(String name, int ranks, int chunksPerRank, int microBatches, String source) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "one-stage" -> PipelineLayout.oneStagePerRank(ranks, microBatches);
            case "v" -> PipelineLayout.dualPipeV(ranks, microBatches);
            case "dualpipe" -> PipelineLayout.dualPipe(ranks, microBatches);
            case "interleaved" -> PipelineLayout.interleaved(ranks, chunksPerRank, microBatches);
            default -> throw new IllegalArgumentException("schedule file (" + source + "): layout (" + name
                    + ") must be " + LAYOUTS);
        };
    }

    private static Schedule torchCsv(String content, String source) {
        List<List<int[]>> actions = new ArrayList<>();
        int row = 0;
        int maxStage = -1;
        int microBatches = 0;
        for (String line : content.lines().toList()) {
            row++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<int[]> rankActions = new ArrayList<>();
            String[] cells = line.split(",", -1);
            for (int c = 0; c < cells.length; c++) {
                String cell = cells[c].strip();
                if (cell.isEmpty()) {
                    continue;
                }
                Matcher m = TORCH_ACTION.matcher(cell);
                if (!m.matches()) {
                    throw new IllegalArgumentException("schedule file (" + source + ") row " + row + " column " + (c + 1)
                            + ": action (" + cell + ") must be <stage><F|I|B|W><micro-batch> or a communication action");
                }
                int kind = "FIBW".indexOf(m.group(2));
                if (m.group(2).length() > 1) {
                    continue;
                }
                if (m.group(3).isEmpty()) {
                    throw new IllegalArgumentException("schedule file (" + source + ") row " + row + " column " + (c + 1)
                            + ": action (" + cell + ") must name a micro-batch");
                }
                int stage = Integer.parseInt(m.group(1));
                int mb = Integer.parseInt(m.group(3));
                maxStage = Math.max(maxStage, stage);
                microBatches = Math.max(microBatches, mb + 1);
                rankActions.add(new int[]{stage, kind, mb});
            }
            actions.add(rankActions);
        }
        int ranks = actions.size();
        List<TreeSet<Integer>> held = new ArrayList<>();
        for (List<int[]> rankActions : actions) {
            TreeSet<Integer> s = new TreeSet<>();
            rankActions.forEach(a -> s.add(a[0]));
            held.add(s);
        }
        PipelineLayout layout = PipelineLayout.ofPlacement(held, maxStage + 1, microBatches, "schedule file (" + source + ")");
        List<List<Op>> ops = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            List<Op> rankOps = new ArrayList<>();
            for (int[] a : actions.get(r)) {
                int chunk = layout.chunkOf(0, a[0]);
                OpKind kind = switch (a[1]) {
                    case 0 -> OpKind.FORWARD;
                    case 1 -> OpKind.BACKWARD_INPUT;
                    case 2 -> OpKind.BACKWARD;
                    default -> OpKind.WEIGHT;
                };
                rankOps.add(new Op(kind, chunk, a[2], -1, -1));
            }
            ops.add(rankOps);
        }
        return new Schedule("custom", microBatches, layout, ops);
    }

    /**
     * The schedule in torch.distributed.pipelining's CSV action format: one row per rank, one
     * compute action per cell ({@code <stage>F<mb>}, {@code I} for b, {@code B}, {@code W}).
     * An overlapped F&B pair is written as its forward then its backward: torch has no cell
     * for the pair that its CSV loader reads back.
     *
     * @throws IllegalArgumentException for DualPipe's two-direction layout, which torch's one
     *                                  stage numbering cannot express
     */
    public static String toTorchCsv(Schedule schedule) {
        PipelineLayout layout = schedule.layout();
        if (layout.flows() != 1) {
            throw new IllegalArgumentException("--format csv: " + schedule.kind() + " runs " + layout.flows()
                    + " directions; torch's CSV numbers the stages of one pipeline");
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < schedule.ranks(); r++) {
            List<String> cells = new ArrayList<>();
            for (Op op : schedule.ops(r)) {
                int stage = layout.stage(r, op.chunk());
                switch (op.kind()) {
                    case FORWARD -> cells.add(stage + "F" + op.microBatch());
                    case BACKWARD -> cells.add(stage + "B" + op.microBatch());
                    case BACKWARD_INPUT -> cells.add(stage + "I" + op.microBatch());
                    case WEIGHT -> cells.add(stage + "W" + op.microBatch());
                    case FORWARD_BACKWARD -> {
                        cells.add(stage + "F" + op.microBatch());
                        cells.add(layout.stage(r, op.backwardChunk()) + "B" + op.backwardMicroBatch());
                    }
                }
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }
}
