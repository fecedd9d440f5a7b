package dev.vitcap.kernel;

/** Element types a backend stores. Token ids are 32-bit integers; everything else is float32. */
public enum DType {
    F32, I32
}
