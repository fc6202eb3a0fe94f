package io.parabench.gpu;

/**
 * Where a kernel's or copy's bytes travel, which decides the bandwidth that bounds it in the
 * roofline: the device's own HBM, the NVLink fabric inside a node, or the network between nodes
 * (InfiniBand/RoCE, per GPU).
 */
public enum MemoryPath {
    HBM,
    NVLINK,
    NETWORK
}
