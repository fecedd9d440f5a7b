package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

import java.util.List;
import java.util.Random;

/**
 * {@code y = x·Wᵀ + b} with PyTorch's layout ({@code weight [out, in]}, {@code bias [out]}); the bias
 * may be absent (timm's {@code qkv_bias=False}).
 */
public final class Linear {
    public final int in, out;
    public final Param weight, bias;

    /**
     * @param weightShape the weight's public shape when it is not {@code [out, in]} (a patch
     *                    embedding's convolution kernel {@code [out, channels, p, p]}); null for the default
     */
    public Linear(ParamSet ps, String name, int in, int out, Init weightInit, Init biasInit, Random rng, int[] weightShape) {
        this.in = in;
        this.out = out;
        this.weight = ps.add(name + ".weight", weightInit, rng, weightShape != null ? weightShape : new int[]{out, in});
        this.bias = biasInit == null ? null : ps.add(name + ".bias", biasInit, rng, out);
    }

    /** PyTorch's default initialisation: weight and bias uniform in ±1/√in. */
    public Linear(ParamSet ps, String name, int in, int out, Random rng) {
        this(ps, name, in, out, Init.fanIn(in), Init.fanIn(in), rng, null);
    }

    /** Its weight, then its bias when it has one. */
    public List<Param> params() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    /** {@code y [rows, out] = x [rows, in]·Wᵀ + b}. */
    public void forward(Kernels k, Tensor x, int rows, Tensor y) {
        forward(k, x, in, rows, y);
    }

    /** As {@link #forward(Kernels, Tensor, int, Tensor)} reading rows {@code ldx} apart. */
    public void forward(Kernels k, Tensor x, int ldx, int rows, Tensor y) {
        k.gemm(false, true, rows, out, in, 1f, x, ldx, weight.value(), in, writeBias(k, rows, y), y, out);
    }

    /** {@code y = residual + x·Wᵀ + b}: the residual and the bias written in one pass, and the product added to them. */
    public void forwardResidual(Kernels k, Tensor x, int rows, Tensor residual, Tensor y) {
        if (bias != null) k.addBias(residual, y, rows, out, bias.value());
        else k.copy2d(rows, out, residual, out, y, out);
        k.gemm(false, true, rows, out, in, 1f, x, in, weight.value(), in, 1f, y, out);
    }

    /**
     * Its weight prepared ({@link Kernels#prepareWeight}) for the many products of {@code batch} rows
     * that a decoding's steps, or a training pass's, make with it; freed with the arena.
     */
    public Tensor prepare(Arena a, int batch) {
        return a.keep(a.kernels().prepareWeight(weight.value(), out, in, in, false, batch));
    }

    /** As {@link #forward(Kernels, Tensor, int, Tensor)} with the weight {@link #prepare} gave. */
    public void forwardPrepared(Kernels k, Tensor prepared, Tensor x, int rows, Tensor y) {
        k.gemmPrepared(rows, x, in, prepared, writeBias(k, rows, y), y, out);
    }

    /**
     * Writes the bias into each row of {@code y}, when there is one, for the product to be added to:
     * one pass over y fewer than a product that clears y and a bias added after (5-8 % of the
     * encoder's products on the CPU). Returns the product's beta.
     */
    private float writeBias(Kernels k, int rows, Tensor y) {
        if (bias == null) return 0f;
        k.copy2d(rows, out, bias.value(), 0, y, out);
        return 1f;
    }

    /**
     * Accumulates the weight and bias gradients from {@code dy [rows, out]} and writes
     * {@code dx = dy·W} when {@code dx} is not null ({@code dxBeta = 1} adds to it instead).
     */
    public void backward(Kernels k, Tensor x, Tensor dy, int rows, Tensor dx, float dxBeta) {
        backwardWeights(k, x, in, dy, rows);
        if (dx != null) backwardInput(k, dy, rows, dx, dxBeta);
    }

    public void backwardWeights(Kernels k, Tensor x, int ldx, Tensor dy, int rows) {
        k.gemm(true, false, out, in, rows, 1f, dy, out, x, ldx, 1f, weight.grad(), in);
        if (bias != null) k.sumRows(dy, rows, out, bias.grad());
    }

    public void backwardInput(Kernels k, Tensor dy, int rows, Tensor dx, float dxBeta) {
        k.gemm(false, false, rows, in, out, 1f, dy, out, weight.value(), in, dxBeta, dx, in);
    }

    /** Its weight's transpose prepared for {@link #backwardInputPrepared}, as {@link #prepare} for the forward pass. */
    public Tensor prepareTransposed(Arena a, int batch) {
        return a.keep(a.kernels().prepareWeight(weight.value(), in, out, in, true, batch));
    }

    /** As {@link #backwardInput} with the weight {@link #prepareTransposed} gave. */
    public void backwardInputPrepared(Kernels k, Tensor prepared, Tensor dy, int rows, Tensor dx, float dxBeta) {
        k.gemmPrepared(rows, dy, out, prepared, dxBeta, dx, in);
    }
}
