package io.parabench.kernels;

/**
 * The three matrix products of a linear layer {@code Y = X·Wᵀ} (X: tokens × in, W: out × in,
 * both row-major). Every GEMM computes {@code C[m×n] = A·B} with a reduction of length
 * {@code k}; the layout says how A and B are stored.
 */
public enum GemmLayout {
    /** Forward {@code Y = X·Wᵀ}: A = X stored m×k, B = Wᵀ with W stored n×k. */
    FORWARD,
    /** Input gradient {@code dX = dY·W}: A = dY stored m×k, B = W stored k×n. */
    BACKWARD_INPUT,
    /** Weight gradient {@code dW = dYᵀ·X}: A = dYᵀ with dY stored k×m, B = X stored k×n. */
    BACKWARD_WEIGHT;

    /** Index of element (i, p) of A (m×k) in its array. */
    int aIndex(int i, int p, int m, int k) {
        return this == BACKWARD_WEIGHT ? p * m + i : i * k + p;
    }

    /** Index of element (p, j) of B (k×n) in its array. */
    int bIndex(int p, int j, int n, int k) {
        return this == FORWARD ? j * k + p : p * n + j;
    }
}
