package io.parabench.eplb;

/**
 * The reference's {@code replicate_experts}: starting from one replica per expert, gives each
 * redundant replica to the expert with the highest load per replica ({@code load / count} in
 * float32), the lowest expert index on equal value. This minimises the heaviest replica.
 *
 * <p>The reference recomputes the arg-max over all experts for every replica
 * ({@code O(redundant · experts)}); here the experts sit in a binary max-heap keyed by
 * {@code (load / count, -index)}, and only the chosen expert's key changes, so each replica
 * costs {@code O(log experts)} and the choices are the same. Not thread-safe.
 */
final class ExpertReplication {
    private final int[] heap;
    private final float[] perReplica;

    ExpertReplication(int maxExperts) {
        heap = new int[maxExperts];
        perReplica = new float[maxExperts];
    }

    /**
     * Replicates experts {@code load[from..from+experts)} onto {@code slots} slots. Slot
     * {@code s < experts} holds expert {@code s}, rank 0; later slots hold the redundant
     * replicas in the order they were created.
     *
     * @param phy2log out: expert of each slot, {@code [0, slots)}
     * @param rank    out: replica rank of each slot (0 for the first copy)
     * @param count   out: replicas per expert, {@code [0, experts)}
     */
    void replicate(float[] load, int from, int experts, int slots, int[] phy2log, int[] rank, int[] count) {
        for (int e = 0; e < experts; e++) {
            phy2log[e] = e;
            rank[e] = 0;
            count[e] = 1;
            perReplica[e] = load[from + e];
            heap[e] = e;
        }
        if (slots == experts) {
            return;
        }
        for (int i = experts / 2 - 1; i >= 0; i--) {
            siftDown(i, experts);
        }
        for (int s = experts; s < slots; s++) {
            int e = heap[0];
            phy2log[s] = e;
            rank[s] = count[e];
            count[e]++;
            perReplica[e] = load[from + e] / (float) count[e];
            siftDown(0, experts);
        }
    }

    private boolean above(int a, int b) {
        float va = perReplica[a];
        float vb = perReplica[b];
        return va > vb || (va == vb && a < b);
    }

    private void siftDown(int i, int size) {
        int x = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && above(heap[child + 1], heap[child])) {
                child++;
            }
            if (!above(heap[child], x)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = x;
    }
}
