package dev.vitcap.cuda;

import dev.vitcap.kernel.BackendException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevicePoolTest {
    /** A device of {@code capacity} bytes that hands out increasing addresses and records what is live. */
    private static final class FakeDevice implements DevicePool.Raw {
        final long capacity;
        final Map<Long, Long> live = new HashMap<>();
        long used, next = 4096, frees;

        FakeDevice(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long allocate(long bytes) {
            if (used + bytes > capacity) return 0;
            used += bytes;
            long a = next;
            next += bytes;
            live.put(a, bytes);
            return a;
        }

        @Override
        public void free(long address) {
            Long bytes = live.remove(address);
            assertTrue(bytes != null, "freed twice or never allocated: " + address);
            used -= bytes;
            frees++;
        }
    }

    @Test
    void bucketsRoundUpToPowersOfTwoAndTheirThreeHalves() {
        assertEquals(DevicePool.MIN_BYTES, DevicePool.bucket(0));
        assertEquals(DevicePool.MIN_BYTES, DevicePool.bucket(1));
        for (long b = 1; b < 1 << 22; b = b * 3 + 1) {
            long bucket = DevicePool.bucket(b);
            assertTrue(bucket >= b && bucket >= DevicePool.MIN_BYTES, b + " -> " + bucket);
            assertTrue(bucket <= Math.max(DevicePool.MIN_BYTES, b * 3 / 2 + 1), "more than half again wasted: " + b + " -> " + bucket);
            long pow = Long.highestOneBit(bucket);
            assertTrue(bucket == pow || bucket == pow + pow / 2, "not a bucket size: " + bucket);
            assertEquals(bucket, DevicePool.bucket(bucket), "a bucket size is its own bucket");
        }
    }

    @Test
    void aSteadyLoopAllocatesOnlyInItsFirstRound() {
        FakeDevice device = new FakeDevice(1L << 30);
        DevicePool pool = new DevicePool(device);
        long[] sizes = {100, 4096, 5000, 777, 4096, 123_456};
        long afterFirst = -1;
        for (int round = 0; round < 5; round++) {
            List<DevicePool.Block> held = new ArrayList<>();
            for (long s : sizes) held.add(pool.take(s));
            assertEquals(held.size(), held.stream().map(DevicePool.Block::address).distinct().count(), "a block handed out twice");
            held.forEach(pool::release);
            if (round == 0) afterFirst = pool.allocations();
        }
        assertEquals(sizes.length, afterFirst);
        assertEquals(afterFirst, pool.allocations());
        assertEquals(0, pool.bytesInUse());
        pool.close();
        assertTrue(device.live.isEmpty(), "close frees the cache");
    }

    @Test
    void runningOutFreesTheCacheAndRetriesOnce() {
        FakeDevice device = new FakeDevice(8192);
        DevicePool pool = new DevicePool(device);
        pool.release(pool.take(4096)); // cached, of another size than the next request
        DevicePool.Block big = pool.take(6144);
        assertEquals(1, device.frees, "the cached block made room");
        assertEquals(6144, big.bytes());
        BackendException e = assertThrows(BackendException.class, () -> pool.take(4096));
        assertTrue(e.getMessage().contains("out of GPU memory"), e.getMessage());
    }
}
