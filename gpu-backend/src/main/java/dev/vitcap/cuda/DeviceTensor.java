package dev.vitcap.cuda;

import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.ShapedTensor;
import dev.vitcap.kernel.Tensor;

/**
 * A tensor in GPU memory: a pooled block, an element offset into it and a shape. Views share the
 * block; closing the tensor that owns the block returns it to the pool.
 */
final class DeviceTensor extends ShapedTensor {
    static final int ELEMENT_BYTES = 4; // float32 and int32 alike

    private final DevicePool pool;
    private final DevicePool.Block block;
    private final long capacity; // elements of the owning tensor
    private final long offset;
    private final boolean owner;
    private boolean closed;

    private DeviceTensor(DevicePool pool, DevicePool.Block block, long capacity, long offset, int[] shape, DType dtype, boolean owner) {
        super(dtype, shape);
        this.pool = pool;
        this.block = block;
        this.capacity = capacity;
        this.offset = offset;
        this.owner = owner;
    }

    static DeviceTensor allocate(DevicePool pool, DType dtype, int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + java.util.Arrays.toString(shape));
            n *= d;
        }
        return new DeviceTensor(pool, pool.take(n * ELEMENT_BYTES), n, 0, shape, dtype, true);
    }

    /** The device address of the first element. */
    long address() {
        return block.address() + offset * ELEMENT_BYTES;
    }

    long bytes() {
        return size() * ELEMENT_BYTES;
    }

    @Override
    public Tensor view(long offset, int... shape) {
        DeviceTensor v = new DeviceTensor(pool, block, capacity, this.offset + offset, shape, dtype(), false);
        return inBounds(v, offset, v.offset, capacity);
    }

    @Override
    public void close() {
        if (owner && !closed) {
            closed = true;
            pool.release(block);
        }
    }
}
