package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

import java.util.Random;

/** Layer norm over the last dimension with timm's names ({@code weight}, {@code bias}). */
public final class LayerNorm {
    public final int dim;
    public final float eps;
    public final Param gamma, beta;

    public LayerNorm(ParamSet ps, String name, int dim, float eps, Random rng) {
        this.dim = dim;
        this.eps = eps;
        this.gamma = ps.add(name + ".weight", Init.ones(), rng, dim);
        this.beta = ps.add(name + ".bias", Init.zeros(), rng, dim);
    }

    /** What the backward pass needs: the input and each row's statistics. */
    public record Saved(Tensor x, Tensor mean, Tensor rstd, int rows) {
    }

    public Saved forward(Arena a, Tensor x, int rows, Tensor y) {
        Saved s = new Saved(x, a.f32(rows), a.f32(rows), rows);
        a.kernels().layerNorm(x, gamma.value(), beta.value(), y, s.mean(), s.rstd(), rows, dim, eps);
        return s;
    }

    /** Accumulates into {@code dx} and the parameter gradients. */
    public void backward(Kernels k, Saved s, Tensor dy, Tensor dx) {
        k.layerNormBackward(dy, s.x(), gamma.value(), s.mean(), s.rstd(), dx, gamma.grad(), beta.grad(), s.rows(), dim);
    }
}
