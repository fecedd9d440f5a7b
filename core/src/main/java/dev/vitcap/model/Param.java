package dev.vitcap.model;

import dev.vitcap.kernel.Tensor;

/** A named trainable tensor and the gradient that accumulates into it. */
public record Param(String name, int[] shape, Tensor value, Tensor grad) {
    public int size() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
