package io.parabench.eplb;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServingSimulationTest {
    private static final ClusterShape SHAPE = new ClusterShape(40, 4, 2, 8);

    private static ServingSimulation.Result run(double drift, double noise, int every, long seed) {
        ServingSimulation.Config config = new ServingSimulation.Config(SHAPE, 2, 32, 40, every, 0.8,
                BalancePolicy.REFERENCE);
        return ServingSimulation.run(config, new SyntheticExpertLoads(2, 32, 4096, 1.0, drift, noise, seed));
    }

    @Test
    void shouldBeDeterministicForASeed() {
        ServingSimulation.Result a = run(0.3, 0.1, 5, 7);
        ServingSimulation.Result b = run(0.3, 0.1, 5, 7);
        assertArrayEquals(a.realisedBalancedness(), b.realisedBalancedness());
        assertArrayEquals(a.oracleBalancedness(), b.oracleBalancedness());
        assertArrayEquals(a.movedPerRebalance(), b.movedPerRebalance());
        assertArrayEquals(new int[]{5, 10, 15, 20, 25, 30, 35}, a.rebalanceSteps());
    }

    @Test
    void shouldReachTheOracleAndStopMovingWhenLoadsNeverChange() {
        ServingSimulation.Result r = run(0, 0, 1, 3);
        // Step 0 runs on the uniform-load plan; from step 1 on, the estimate equals the loads.
        for (int step = 1; step < r.realisedBalancedness().length; step++) {
            assertEquals(r.oracleBalancedness()[step], r.realisedBalancedness()[step], 1e-12, "step " + step);
        }
        assertTrue(r.movedPerRebalance()[0] > 0, "the first re-plan leaves the uniform plan");
        for (int i = 1; i < r.movedPerRebalance().length; i++) {
            assertEquals(0, r.movedPerRebalance()[i], "re-plan " + i + " of unchanged loads");
        }
        assertTrue(r.realisedBalancedness()[0] < r.realisedBalancedness()[1], "balancing helps Zipf loads");
    }

    @Test
    void shouldTrailTheOracleUnderDriftAndNoise() {
        ServingSimulation.Result r = run(0.5, 0.2, 10, 5);
        assertTrue(r.meanRealised() < r.meanOracle(), r.meanRealised() + " vs oracle " + r.meanOracle());
        assertTrue(r.meanRealised() > 0 && r.meanOracle() <= 1);
    }

    @Test
    void shouldRejectBadSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ServingSimulation.Config(SHAPE, 2, 32, 40, 5, 1.0, BalancePolicy.REFERENCE));
        assertTrue(e.getMessage().contains("decay (1.0) must be in [0, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SyntheticExpertLoads(1, 8, 100, 1, 1.5, 0, 1));
    }
}
