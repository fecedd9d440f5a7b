package dev.vitcap.cpu;

import dev.vitcap.kernel.DType;
import org.bytedeco.javacpp.FloatPointer;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Off-heap blocks kept by exact size: a training step allocates the same shapes every time, so after
 * the first step every request is served from here and nothing is allocated or freed per step.
 */
final class BufferPool {
    private final Map<Long, ArrayDeque<CpuTensor.Allocation>> free = new HashMap<>();

    synchronized CpuTensor take(DType dtype, int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        long size = Math.max(1, n);
        ArrayDeque<CpuTensor.Allocation> q = free.get(size);
        CpuTensor.Allocation a = q == null ? null : q.poll();
        if (a == null) a = allocate(size);
        CpuTensor t = new CpuTensor(dtype, a, 0, shape, false);
        t.pool = this;
        return t;
    }

    synchronized void release(CpuTensor.Allocation a) {
        free.computeIfAbsent(a.capacity(), s -> new ArrayDeque<>()).push(a);
    }

    private static CpuTensor.Allocation allocate(long floats) {
        if (floats > Integer.MAX_VALUE / 4) throw new IllegalArgumentException("tensor of " + floats + " elements is too large for one buffer");
        // JavaCPP's native memory, as ND4J's buffers are, without starting ND4J (a third of a second);
        // it is freed once the pointer is unreachable.
        FloatPointer base = new FloatPointer(floats);
        return new CpuTensor.Allocation(base, base.asByteBuffer().order(ByteOrder.nativeOrder()), floats);
    }

    synchronized void clear() {
        free.clear();
    }
}
