package dev.vitcap.cpu;

import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.ShapedTensor;
import dev.vitcap.kernel.Tensor;
import org.bytedeco.javacpp.FloatPointer;

import java.nio.ByteBuffer;

/**
 * Native memory (so OpenBLAS reads it in place) seen two ways: as a native-order
 * {@link ByteBuffer} for the Vector API kernels and as a pointer for BLAS. {@code off} is in elements.
 */
final class CpuTensor extends ShapedTensor {
    final ByteBuffer buf;
    final int off;
    final Allocation alloc;
    private final boolean isView;

    /** One pooled block of native memory; the pointer owns it, so it lives as long as the block. */
    record Allocation(FloatPointer base, ByteBuffer buf, long capacity) {
    }

    CpuTensor(DType dtype, Allocation alloc, int off, int[] shape, boolean isView) {
        super(dtype, shape);
        this.alloc = alloc;
        this.buf = alloc.buf();
        this.off = off;
        this.isView = isView;
    }

    @Override
    public Tensor view(long offset, int... shape) {
        CpuTensor v = new CpuTensor(dtype(), alloc, Math.toIntExact(off + offset), shape, true);
        return inBounds(v, offset, v.off, alloc.capacity());
    }

    /** A pointer to element {@code offset} of this tensor, for native calls; each call gets its own, so threads never share one. */
    FloatPointer pointer(long offset) {
        return new FloatPointer(alloc.base()).position(off + offset);
    }

    /** Byte position of element {@code i}. */
    int at(int i) {
        return (off + i) << 2;
    }

    float get(int i) {
        return buf.getFloat((off + i) << 2);
    }

    void set(int i, float v) {
        buf.putFloat((off + i) << 2, v);
    }

    /** Copies {@code n} elements from element {@code i} on into {@code dst[at ..]}. */
    void get(int i, float[] dst, int at, int n) {
        buf.asFloatBuffer().get(off + i, dst, at, n);
    }

    int id(int i) {
        return buf.getInt((off + i) << 2);
    }

    int length() {
        return Math.toIntExact(size());
    }

    BufferPool pool;

    @Override
    public void close() {
        if (!isView && pool != null) {
            BufferPool p = pool;
            pool = null;
            p.release(alloc);
        }
    }
}
