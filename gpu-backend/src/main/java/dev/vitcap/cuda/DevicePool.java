package dev.vitcap.cuda;

import dev.vitcap.kernel.BackendException;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory recycled through size-bucketed free lists, so that a training loop, which asks for the
 * same sizes every step, calls the allocator only during its first step. Sizes are rounded up to
 * {@code 2^k} or {@code 1.5·2^k} bytes (at most a third wasted). A released block can be handed out
 * again at once: every user of the pool queues its work on one stream, so later work runs after
 * earlier work that still reads the block.
 */
final class DevicePool implements AutoCloseable {
    /** The allocator underneath: cudaMalloc/cudaFree on a GPU, a fake in tests. */
    interface Raw {
        /** A new allocation, or 0 when the device is out of memory. */
        long allocate(long bytes);

        void free(long address);
    }

    /** One allocation: its device address and its bucket's size. */
    record Block(long address, long bytes) {
    }

    static final long MIN_BYTES = 256;

    private final Raw raw;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private long inUse, allocations;

    DevicePool(Raw raw) {
        this.raw = raw;
    }

    /** The bucket a request of {@code bytes} is served from. */
    static long bucket(long bytes) {
        long b = Math.max(bytes, MIN_BYTES);
        long pow = Long.highestOneBit(b);
        if (b == pow) return b;
        long threeHalves = pow + (pow >> 1);
        return b <= threeHalves ? threeHalves : pow << 1;
    }

    Block take(long bytes) {
        long size = bucket(bytes);
        ArrayDeque<Long> list = free.get(size);
        Long address = list == null ? null : list.poll();
        if (address == null) {
            long fresh = raw.allocate(size);
            if (fresh == 0) { // cached blocks of other sizes may make room
                trim();
                fresh = raw.allocate(size);
            }
            if (fresh == 0) {
                throw new BackendException(String.format("out of GPU memory: %,d bytes wanted, %,d in use by vitcap", size, inUse));
            }
            allocations++;
            address = fresh;
        }
        inUse += size;
        return new Block(address, size);
    }

    void release(Block b) {
        free.computeIfAbsent(b.bytes(), s -> new ArrayDeque<>()).push(b.address());
        inUse -= b.bytes();
    }

    /** Frees every cached block. */
    void trim() {
        for (ArrayDeque<Long> list : free.values()) {
            for (Long address : list) raw.free(address);
        }
        free.clear();
    }

    /** How many times the raw allocator was called: constant once a loop has reached its steady state. */
    long allocations() {
        return allocations;
    }

    long bytesInUse() {
        return inUse;
    }

    /** Frees the cache; blocks still in use are the caller's leak and are freed with the context. */
    @Override
    public void close() {
        trim();
    }
}
