package dev.vitcap.model;

/** The shape of a {@link RegionHead}: a {@code grid × grid} partition of the image and {@code classes} per cell (0 = empty). */
public record RegionHeadConfig(int grid, int classes) {
    public RegionHeadConfig {
        if (grid < 1 || classes < 2) throw new IllegalArgumentException("a region head needs grid >= 1 and classes >= 2");
    }
}
