package dev.vitcap.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Tensors that live for one pass (a forward and its backward, one decoding step) and are freed
 * together: a backend pools their memory, so a steady training loop allocates nothing.
 */
public final class Arena implements AutoCloseable {
    private final Kernels k;
    private final List<AutoCloseable> owned = new ArrayList<>();

    public Arena(Kernels k) {
        this.k = k;
    }

    public Kernels kernels() {
        return k;
    }

    public Tensor f32(int... shape) {
        return keep(k.empty(DType.F32, shape));
    }

    public Tensor zeros(int... shape) {
        return keep(k.zeros(DType.F32, shape));
    }

    public Tensor i32(int... shape) {
        return keep(k.empty(DType.I32, shape));
    }

    /** Takes ownership of something made elsewhere (an LSTM's saved state). */
    public <T extends AutoCloseable> T keep(T t) {
        owned.add(t);
        return t;
    }

    @Override
    public void close() {
        try {
            for (int i = owned.size() - 1; i >= 0; i--) owned.get(i).close();
        } catch (Exception e) {
            throw new IllegalStateException("freeing a pass's tensors failed", e);
        } finally {
            owned.clear();
        }
    }
}
