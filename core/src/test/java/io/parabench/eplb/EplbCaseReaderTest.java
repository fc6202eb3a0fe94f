package io.parabench.eplb;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EplbCaseReaderTest {
    private static List<EplbCase> read(String json) throws IOException {
        return EplbCaseReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "cases.json");
    }

    @Test
    void shouldReadInputsAndSkipUnknownFields() throws IOException {
        List<EplbCase> cases = read("[{\"weight\":[[1.5,2],[3,4]],\"num_replicas\":4,\"num_groups\":1,"
                + "\"num_nodes\":1,\"num_gpus\":2,\"dist\":\"zipf\",\"seconds\":0.1}]");
        assertEquals(1, cases.size());
        assertArrayEquals(new float[][]{{1.5f, 2f}, {3f, 4f}}, cases.get(0).loads());
        assertEquals(new ClusterShape(4, 1, 1, 2), cases.get(0).shape());
        assertTrue(cases.get(0).expected().isEmpty());
    }

    @Test
    void shouldReadTheReferenceOutputsWhenPresent() throws IOException {
        EplbCase c = read("[{\"weight\":[[1,2]],\"num_replicas\":2,\"num_groups\":1,\"num_nodes\":1,\"num_gpus\":1,"
                + "\"phy2log\":[[0,1]],\"logcnt\":[[1,1]],\"log2phy\":[[[0],[1]]],\"gpu_load\":[[3.0]]}]").get(0);
        EplbCase.Expected e = c.expected().orElseThrow();
        assertArrayEquals(new int[][]{{0, 1}}, e.phy2log());
        assertArrayEquals(new int[][][]{{{0}, {1}}}, e.log2phy());
        assertArrayEquals(new double[][]{{3.0}}, e.gpuLoad());
    }

    @Test
    void shouldNameTheCaseAndFieldOfBadInput() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> read("[{\"weight\":[[1]],\"num_replicas\":1,\"num_groups\":1,\"num_nodes\":1}]"));
        assertEquals("cases.json case 0 has no field \"num_gpus\"", missing.getMessage());
        IllegalArgumentException notInt = assertThrows(IllegalArgumentException.class,
                () -> read("[{\"num_replicas\":\"four\"}]"));
        assertEquals("cases.json case 0 num_replicas (four) must be an integer", notInt.getMessage());
        IllegalArgumentException notArray = assertThrows(IllegalArgumentException.class, () -> read("{}"));
        assertEquals("cases.json must hold a JSON array of cases", notArray.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> read("[{\"weight\":[[1]],\"num_replicas\":3,\"num_groups\":1,\"num_nodes\":1,\"num_gpus\":2}]"));
        assertEquals("cases.json case 0: replicas (3) must be a multiple of gpus (2)", shape.getMessage());
    }
}
