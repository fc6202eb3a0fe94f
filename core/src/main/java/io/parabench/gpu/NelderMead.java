package io.parabench.gpu;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * Derivative-free minimisation (Nelder &amp; Mead, "A simplex method for function minimization",
 * Computer Journal 1965) with the standard coefficients (reflection 1, expansion 2, contraction
 * ½, shrink ½). Used by {@link DeviceFit} on a handful of parameters with objectives that have
 * kinks (tile counts are integers), where gradients are useless. Deterministic: the same start
 * gives the same result. Not thread-safe (one call, one simplex).
 */
final class NelderMead {
    private NelderMead() {
    }

    /**
     * Minimises {@code f} from {@code start}, the first simplex stepping {@code step} along each
     * axis, for at most {@code maxEvaluations} evaluations; returns the best point found.
     */
    static double[] minimize(ToDoubleFunction<double[]> f, double[] start, double step, int maxEvaluations) {
        int n = start.length;
        double[][] simplex = new double[n + 1][];
        double[] values = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            simplex[i] = start.clone();
            if (i > 0) {
                simplex[i][i - 1] += step;
            }
            values[i] = f.applyAsDouble(simplex[i]);
        }
        int evaluations = n + 1;
        Integer[] order = new Integer[n + 1];
        while (evaluations < maxEvaluations) {
            for (int i = 0; i <= n; i++) {
                order[i] = i;
            }
            double[] v = values;
            Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
            double[][] sorted = new double[n + 1][];
            double[] sortedValues = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                sorted[i] = simplex[order[i]];
                sortedValues[i] = values[order[i]];
            }
            simplex = sorted;
            values = sortedValues;
            if (values[n] - values[0] <= 1e-12 * (1 + Math.abs(values[0]))) {
                break;
            }
            double[] centroid = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    centroid[j] += simplex[i][j] / n;
                }
            }
            double[] reflected = along(centroid, simplex[n], -1);
            double fr = f.applyAsDouble(reflected);
            evaluations++;
            if (fr < values[0]) {
                double[] expanded = along(centroid, simplex[n], -2);
                double fe = f.applyAsDouble(expanded);
                evaluations++;
                if (fe < fr) {
                    simplex[n] = expanded;
                    values[n] = fe;
                } else {
                    simplex[n] = reflected;
                    values[n] = fr;
                }
            } else if (fr < values[n - 1]) {
                simplex[n] = reflected;
                values[n] = fr;
            } else {
                double[] contracted = fr < values[n] ? along(centroid, reflected, 0.5) : along(centroid, simplex[n], 0.5);
                double fc = f.applyAsDouble(contracted);
                evaluations++;
                if (fc < Math.min(fr, values[n])) {
                    simplex[n] = contracted;
                    values[n] = fc;
                } else {
                    for (int i = 1; i <= n; i++) {
                        simplex[i] = along(simplex[0], simplex[i], 0.5);
                        values[i] = f.applyAsDouble(simplex[i]);
                    }
                    evaluations += n;
                }
            }
        }
        int best = 0;
        for (int i = 1; i <= n; i++) {
            if (values[i] < values[best]) {
                best = i;
            }
        }
        return simplex[best];
    }

    /** {@code from + t·(to − from)}. */
    private static double[] along(double[] from, double[] to, double t) {
        double[] x = new double[from.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = from[j] + t * (to[j] - from[j]);
        }
        return x;
    }
}
