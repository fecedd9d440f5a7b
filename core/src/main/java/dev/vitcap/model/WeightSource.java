package dev.vitcap.model;

/** A named tensor's host copy, as read from a weights file. */
public record WeightSource(int[] shape, float[] data) {
    public int size() {
        return data.length;
    }
}
