package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Tensor;

/** Row-index tensors for {@link dev.vitcap.kernel.Kernels#gatherRows}. */
final class RowIndex {
    private RowIndex() {
    }

    /** {@code [0,0,…,1,1,…]}: each of {@code rows} rows {@code times} times, for beam expansion. */
    static Tensor repeat(Arena a, int rows, int times) {
        int[] idx = new int[rows * times];
        for (int i = 0; i < idx.length; i++) idx[i] = i / times;
        return a.keep(a.kernels().uploadInts(idx, idx.length));
    }
}
