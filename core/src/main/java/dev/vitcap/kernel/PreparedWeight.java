package dev.vitcap.kernel;

/**
 * What {@link Kernels#prepareWeight} gives a backend with no kernel of its own for products of few
 * rows: the weight where it lies, which {@link Kernels#gemmPrepared} hands to {@link Kernels#gemm}.
 * {@code W [n, k]} is {@code w}'s rows, {@code ld} apart, or, {@code transposed}, {@code w [k, n]}'s transpose.
 */
public record PreparedWeight(Tensor w, int n, int k, int ld, boolean transposed) implements Tensor {
    @Override
    public DType dtype() {
        return DType.F32;
    }

    @Override
    public int[] shape() {
        return new int[]{n, k};
    }

    @Override
    public Tensor view(long offset, int... shape) {
        throw new UnsupportedOperationException("a prepared weight has no views");
    }

    /** The weight stays its owner's. */
    @Override
    public void close() {
    }
}
