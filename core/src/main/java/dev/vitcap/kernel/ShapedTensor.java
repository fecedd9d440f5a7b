package dev.vitcap.kernel;

/** What every backend's tensor shares: its element type, its shape, and the bounds check of a view. */
public abstract class ShapedTensor implements Tensor {
    private final DType dtype;
    private final int[] shape;

    protected ShapedTensor(DType dtype, int[] shape) {
        this.dtype = dtype;
        this.shape = shape.clone();
    }

    @Override
    public final DType dtype() {
        return dtype;
    }

    @Override
    public final int[] shape() {
        return shape;
    }

    /**
     * Checks that {@code view}, asked for at {@code offset} from this tensor, lies in the allocation:
     * its first element at {@code start} and its last before {@code capacity} (both counted from the
     * allocation's start).
     */
    protected final <T extends Tensor> T inBounds(T view, long offset, long start, long capacity) {
        if (offset < 0 || start < 0 || start + view.size() > capacity) {
            throw new IndexOutOfBoundsException("view " + offset + "+" + view.size() + " outside " + Tensor.describe(this));
        }
        return view;
    }
}
