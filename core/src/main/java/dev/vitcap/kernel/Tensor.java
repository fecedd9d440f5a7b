package dev.vitcap.kernel;

import java.util.Arrays;

/**
 * An opaque handle to memory owned by one backend (host arrays, off-heap buffers or device memory).
 * The model never reads a tensor's elements: it passes handles to {@link Kernels} and moves data
 * across the host boundary only with {@code upload}/{@code download}. Shapes are row-major.
 */
public interface Tensor extends AutoCloseable {
    DType dtype();

    /** The shape; callers must not modify the returned array. */
    int[] shape();

    default long size() {
        long n = 1;
        for (int d : shape()) n *= d;
        return n;
    }

    /** A tensor over {@code product(shape)} elements of this one starting at {@code offset}; shares memory. */
    Tensor view(long offset, int... shape);

    /**
     * Everything from {@code offset} on, as one row: the operand of a strided product or copy, whose
     * leading dimension (not a shape) says how its elements are laid out.
     */
    default Tensor from(long offset) {
        return view(offset, Math.toIntExact(size() - offset));
    }

    /** Returns the memory to its backend. Closing a view does nothing; using a closed tensor is a bug. */
    @Override
    void close();

    static String describe(Tensor t) {
        return t.dtype() + Arrays.toString(t.shape());
    }
}
