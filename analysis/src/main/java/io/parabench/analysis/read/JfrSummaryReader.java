package io.parabench.analysis.read;

import org.openjdk.jmc.common.IMCMethod;
import org.openjdk.jmc.common.IMCType;
import org.openjdk.jmc.common.item.IAttribute;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.IMemberAccessor;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.flightrecorder.CouldNotLoadRecordingException;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.jdk.JdkAttributes;
import org.openjdk.jmc.flightrecorder.jdk.JdkTypeIDs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Summarises a JFR recording with JMC's {@code flightrecorder} parser: hot methods (top frames
 * of {@code jdk.ExecutionSample}), allocation by class ({@code jdk.ObjectAllocationSample}
 * weights when the recording has them, else TLAB allocation events, so bytes are not counted
 * twice), GC pauses ({@code jdk.GarbageCollection}) and CPU load ({@code jdk.CPULoad}).
 *
 * <p>Stateless and thread-safe; the recording is loaded whole (JFR files of benchmarks are small).
 */
public final class JfrSummaryReader {
    /** Rows kept in each ranking. */
    public static final int TOP = 15;

    /**
     * JMC logs every chunk it cannot read (a truncated recording) with its stack trace through
     * java.util.logging, 27 lines on stderr before the one-line error this reader gives. Held
     * in a field: a logger that is not referenced can be collected and forget its level.
     */
    static final Logger JMC_LOG = Logger.getLogger("org.openjdk.jmc.flightrecorder");

    static {
        JMC_LOG.setLevel(Level.OFF);
    }

    private JfrSummaryReader() {
    }

    /**
     * @throws IllegalArgumentException when the file is missing, is not a JFR recording, or is truncated or
     *                                  corrupt (one line, JMC's own log silenced)
     */
    public static JfrSummary read(Path recording) throws IOException {
        if (!Files.isRegularFile(recording)) {
            throw new IllegalArgumentException("JFR recording (" + recording + ") must be an existing file");
        }
        IItemCollection events;
        try {
            events = JfrLoaderToolkit.loadEvents(recording.toFile());
        } catch (CouldNotLoadRecordingException e) {
            throw new IllegalArgumentException("JFR recording (" + recording + ") cannot be parsed: it has no readable"
                    + " chunk (truncated, corrupt or not a JFR file; JMC says: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("JFR recording (" + recording + ") cannot be read: " + e, e);
        } catch (RuntimeException e) {
            // JMC reports a corrupt chunk with whatever its parser hit, e.g. "Disallowed raw string encoding: 9".
            throw new IllegalArgumentException("JFR recording (" + recording + ") is corrupt: JMC's parser failed with "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        Map<String, Long> methods = new HashMap<>();
        Map<String, Long> sampledAlloc = new HashMap<>();
        Map<String, Long> tlabAlloc = new HashMap<>();
        long samples = 0;
        long gcCount = 0;
        double pauseTotalMs = 0;
        double pauseMaxMs = 0;
        double jvmSum = 0;
        double machineSum = 0;
        double jvmMax = Double.NaN;
        long cpuSamples = 0;
        for (IItemIterable items : events) {
            String type = items.getType().getIdentifier();
            switch (type) {
                case JdkTypeIDs.EXECUTION_SAMPLE: {
                    IMemberAccessor<IMCMethod, IItem> top = accessor(items, JdkAttributes.STACK_TRACE_TOP_METHOD);
                    for (IItem item : items) {
                        samples++;
                        IMCMethod m = top == null ? null : top.getMember(item);
                        methods.merge(m == null ? "(unknown)" : m.getType().getFullName() + "." + m.getMethodName(), 1L,
                                Long::sum);
                    }
                    break;
                }
                case JdkTypeIDs.OBJ_ALLOC_SAMPLE:
                    addAllocations(items, JdkAttributes.SAMPLE_WEIGHT, sampledAlloc);
                    break;
                case JdkTypeIDs.ALLOC_INSIDE_TLAB:
                    addAllocations(items, JdkAttributes.TLAB_SIZE, tlabAlloc);
                    break;
                case JdkTypeIDs.ALLOC_OUTSIDE_TLAB:
                    addAllocations(items, JdkAttributes.ALLOCATION_SIZE, tlabAlloc);
                    break;
                case JdkTypeIDs.GARBAGE_COLLECTION: {
                    IMemberAccessor<IQuantity, IItem> sum = accessor(items, JdkAttributes.GC_SUM_OF_PAUSES);
                    IMemberAccessor<IQuantity, IItem> longest = accessor(items, JdkAttributes.GC_LONGEST_PAUSE);
                    for (IItem item : items) {
                        gcCount++;
                        pauseTotalMs += millis(sum, item);
                        pauseMaxMs = Math.max(pauseMaxMs, millis(longest, item));
                    }
                    break;
                }
                case JdkTypeIDs.CPU_LOAD: {
                    IMemberAccessor<IQuantity, IItem> user = accessor(items, JdkAttributes.JVM_USER);
                    IMemberAccessor<IQuantity, IItem> system = accessor(items, JdkAttributes.JVM_SYSTEM);
                    IMemberAccessor<IQuantity, IItem> machine = accessor(items, JdkAttributes.MACHINE_TOTAL);
                    for (IItem item : items) {
                        double jvm = fraction(user, item) + fraction(system, item);
                        cpuSamples++;
                        jvmSum += jvm;
                        machineSum += fraction(machine, item);
                        jvmMax = Double.isNaN(jvmMax) ? jvm : Math.max(jvmMax, jvm);
                    }
                    break;
                }
                default:
                    break;
            }
        }
        Map<String, Long> alloc = sampledAlloc.isEmpty() ? tlabAlloc : sampledAlloc;
        long allocated = alloc.values().stream().mapToLong(Long::longValue).sum();
        return new JfrSummary(samples, top(methods), allocated, top(alloc), gcCount, pauseTotalMs, pauseMaxMs,
                cpuSamples == 0 ? Double.NaN : jvmSum / cpuSamples,
                cpuSamples == 0 ? Double.NaN : machineSum / cpuSamples, jvmMax);
    }

    private static <V> IMemberAccessor<V, IItem> accessor(IItemIterable items, IAttribute<V> attribute) {
        return attribute.getAccessor(items.getType());
    }

    private static void addAllocations(IItemIterable items, IAttribute<IQuantity> size, Map<String, Long> into) {
        IMemberAccessor<IQuantity, IItem> bytes = accessor(items, size);
        IMemberAccessor<IMCType, IItem> cls = accessor(items, JdkAttributes.ALLOCATION_CLASS);
        if (cls == null) {
            cls = accessor(items, JdkAttributes.OBJECT_CLASS);
        }
        for (IItem item : items) {
            IQuantity q = bytes == null ? null : bytes.getMember(item);
            IMCType t = cls == null ? null : cls.getMember(item);
            if (q != null) {
                into.merge(t == null ? "(unknown)" : t.getFullName(), q.clampedLongValueIn(UnitLookup.BYTE), Long::sum);
            }
        }
    }

    private static double millis(IMemberAccessor<IQuantity, IItem> accessor, IItem item) {
        IQuantity q = accessor == null ? null : accessor.getMember(item);
        return q == null ? 0 : q.doubleValueIn(UnitLookup.MILLISECOND);
    }

    private static double fraction(IMemberAccessor<IQuantity, IItem> accessor, IItem item) {
        IQuantity q = accessor == null ? null : accessor.getMember(item);
        return q == null ? 0 : q.doubleValueIn(UnitLookup.PERCENT_UNITY);
    }

    private static List<JfrSummary.Entry> top(Map<String, Long> counts) {
        List<JfrSummary.Entry> out = new ArrayList<>();
        counts.forEach((k, v) -> out.add(new JfrSummary.Entry(k, v)));
        out.sort(Comparator.comparingLong(JfrSummary.Entry::value).reversed().thenComparing(JfrSummary.Entry::name));
        return out.subList(0, Math.min(TOP, out.size()));
    }
}
