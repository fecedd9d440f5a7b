package dev.vitcap.kernel;

import java.util.List;

/**
 * Every operation the model needs, in one place: the contract each backend implements.
 *
 * <p>Conventions, so that no method needs to restate them:
 * <ul>
 *   <li>Matrices are row-major; {@code ld} is the distance in elements between consecutive rows, so
 *       a view into a wider matrix is a tensor plus a leading dimension.</li>
 *   <li>Outputs are overwritten unless the method says it <em>accumulates</em> ({@code +=}).
 *       Parameter gradients always accumulate, so one zeroing per step serves the whole model.</li>
 *   <li>Element counts are the tensors' sizes unless dimensions are passed explicitly.</li>
 *   <li>Element-wise kernels and the row-wise softmax may write their output over their input.</li>
 *   <li>{@link ReferenceKernels} is the plain, obvious implementation every other backend is tested against.</li>
 * </ul>
 */
public interface Kernels extends AutoCloseable {

    /** The largest {@code k} of {@link #topK}. */
    int TOP_K_MAX = 32;

    /** The backend's name as the user types it ({@code --backend NAME}). */
    String name();

    // ---------------------------------------------------------------- memory and host transfers

    /** A new tensor whose contents are unspecified. */
    Tensor empty(DType dtype, int... shape);

    default Tensor zeros(DType dtype, int... shape) {
        Tensor t = empty(dtype, shape);
        fill(t, 0f);
        return t;
    }

    default Tensor upload(float[] data, int... shape) {
        Tensor t = empty(DType.F32, shape);
        write(t, data);
        return t;
    }

    default Tensor uploadInts(int[] data, int... shape) {
        Tensor t = empty(DType.I32, shape);
        writeInts(t, data);
        return t;
    }

    /** Copies {@code dst.size()} floats from the host array into {@code dst}. */
    void write(Tensor dst, float[] src);

    void writeInts(Tensor dst, int[] src);

    /** Copies {@code src.size()} floats to the host. */
    void read(Tensor src, float[] dst);

    void readInts(Tensor src, int[] dst);

    default float[] download(Tensor t) {
        float[] out = new float[Math.toIntExact(t.size())];
        read(t, out);
        return out;
    }

    default int[] downloadInts(Tensor t) {
        int[] out = new int[Math.toIntExact(t.size())];
        readInts(t, out);
        return out;
    }

    /** Sets every element of a float tensor to {@code value}. */
    void fill(Tensor t, float value);

    /** {@code dst[r, c] = src[r, c]} for a {@code rows × cols} block; {@code srcLd = 0} repeats one source row. */
    void copy2d(int rows, int cols, Tensor src, int srcLd, Tensor dst, int dstLd);

    /** {@code dst[r, :] = src[idx[r], :]} for {@code rows} rows of width {@code cols}; reorders beam states. */
    void gatherRows(int rows, int cols, Tensor src, Tensor idx, Tensor dst);

    /** Waits for queued work (a device backend); host backends return at once. */
    default void synchronize() {
    }

    // ---------------------------------------------------------------- matrix products

    /** {@code C = alpha·op(A)·op(B) + beta·C}, op = transpose when asked; C is {@code m × n}, the inner size {@code k}. */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, Tensor a, int lda, Tensor b, int ldb, float beta, Tensor c, int ldc);

    /** {@code batch} independent {@link #gemm}s, the i-th reading A, B, C at {@code i·stride} elements. */
    void gemmBatched(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, Tensor a, int lda, long strideA, Tensor b, int ldb, long strideB,
                     float beta, Tensor c, int ldc, long strideC, int batch);

    /**
     * A weight {@code W [n, k]} to be multiplied many times as {@code A·Wᵀ}, by products of few rows
     * each: a decoding's steps, an LSTM's recurrence and its backward pass. {@code W} is {@code w}'s
     * rows, {@code ld} apart, or, when {@code transposed}, the transpose of {@code w [k, n]} (a
     * gradient's {@code dy·W}). {@code rows} is the batch the products serve; a backend may lay the
     * weight out for its own small-product kernel when that is worth it, and by default leaves it where
     * it lies ({@link PreparedWeight}). The result is read only by {@link #gemmPrepared}, holds while
     * {@code w} is unchanged, and is closed by its caller.
     */
    default Tensor prepareWeight(Tensor w, int n, int k, int ld, boolean transposed, int rows) {
        return new PreparedWeight(w, n, k, ld, transposed);
    }

    /** {@code C = A·Wᵀ + beta·C} for {@code W [n, k]} from {@link #prepareWeight}; A is {@code m × k}. */
    default void gemmPrepared(int m, Tensor a, int lda, Tensor w, float beta, Tensor c, int ldc) {
        PreparedWeight p = (PreparedWeight) w;
        gemm(false, !p.transposed(), m, p.n(), p.k(), 1f, a, lda, p.w(), p.ld(), beta, c, ldc);
    }

    // ---------------------------------------------------------------- bias, broadcasts and reductions

    /** {@code y[r, c] += bias[c]} for a contiguous {@code rows × cols} matrix (also adds a position table per image). */
    void addBias(Tensor y, int rows, int cols, Tensor bias);

    /**
     * {@code y[r, c] = x[r, c] + bias[c]}: a residual and a product's bias in one pass, for the product
     * to be added to ({@code beta = 1}). The default copies, then adds.
     */
    default void addBias(Tensor x, Tensor y, int rows, int cols, Tensor bias) {
        copy2d(rows, cols, x, cols, y, cols);
        addBias(y, rows, cols, bias);
    }

    /** Accumulates {@code out[c] += Σ_r x[r, c]}: the bias gradient, and the reduction of broadcast tables. */
    void sumRows(Tensor x, int rows, int cols, Tensor out);

    /** {@code out[b, d] = mean over n of x[b, n, d]} for {@code x [batch, tokens, dim]}. */
    void meanTokens(Tensor x, int batch, int tokens, int dim, Tensor out);

    /** Accumulates {@code dx[b, n, d] += dOut[b, d] / tokens}. */
    void meanTokensBackward(Tensor dOut, int batch, int tokens, int dim, Tensor dx);

    /** {@code Σ x}, in double precision, returned to the host. */
    double sum(Tensor x);

    /** {@code Σ x²} over all the tensors, in double precision: the global gradient norm squared. */
    double sumOfSquares(List<Tensor> xs);

    // ---------------------------------------------------------------- element-wise

    /** {@code out = a + b}. */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code out = a ⊙ b}. */
    void mul(Tensor a, Tensor b, Tensor out);

    /** {@code y = alpha·x + beta·y}; {@code beta = 0} ignores what y held, as in BLAS. */
    void axpby(float alpha, Tensor x, float beta, Tensor y);

    /** {@code x[r, c] *= s[r]} for a {@code rows × cols} matrix: masks rows, e.g. padded caption positions. */
    void scaleRows(Tensor x, int rows, int cols, Tensor s);

    void tanh(Tensor x, Tensor y);

    /** {@code dx = dy ⊙ (1 − y²)} from the output {@code y = tanh(x)}. */
    void tanhBackward(Tensor y, Tensor dy, Tensor dx);

    void sigmoid(Tensor x, Tensor y);

    /** {@code dx = dy ⊙ y ⊙ (1 − y)} from the output {@code y = σ(x)}. */
    void sigmoidBackward(Tensor y, Tensor dy, Tensor dx);

    void relu(Tensor x, Tensor y);

    /** {@code dx = dy} where {@code y > 0}, else 0. */
    void reluBackward(Tensor y, Tensor dy, Tensor dx);

    /** The exact GELU, {@code x·Φ(x)} with the error function. */
    void gelu(Tensor x, Tensor y);

    /** {@code dx = dy ⊙ GELU'(x)}. */
    void geluBackward(Tensor x, Tensor dy, Tensor dx);

    /**
     * Inverted dropout: {@code mask[i] = 0} with probability {@code p}, else {@code 1/(1−p)};
     * {@code y = x ⊙ mask}. The mask is a pure function of {@code (seed, i)} so every backend draws the
     * same one; the backward pass is {@link #mul} by the mask.
     */
    void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed);

    // ---------------------------------------------------------------- normalisation, softmax, loss

    /** Layer norm over rows of width {@code cols}; saves each row's mean and 1/σ for the backward pass. */
    void layerNorm(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor mean, Tensor rstd,
                   int rows, int cols, float eps);

    /** Accumulates {@code dx}, {@code dGamma} and {@code dBeta}. */
    void layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd,
                           Tensor dx, Tensor dGamma, Tensor dBeta, int rows, int cols);

    /** {@code y = softmax(scale·x)} over each row. */
    void softmax(Tensor x, Tensor y, int rows, int cols, float scale);

    /** {@code dx = scale · y ⊙ (dy − Σ_c y·dy)} per row. */
    void softmaxBackward(Tensor y, Tensor dy, Tensor dx, int rows, int cols, float scale);

    /** {@code y = log softmax(x)} over each row (beam search). */
    void logSoftmax(Tensor x, Tensor y, int rows, int cols);

    /** {@code idx[r] = argmax_c x[r, c]}, the first on ties (greedy decoding). */
    void argmaxRows(Tensor x, int rows, int cols, Tensor idx);

    /**
     * The {@code k} largest values of each row ({@code k} at most {@link #TOP_K_MAX}), largest first,
     * into {@code values [rows, k]} and their column numbers into {@code indices [rows, k]} (int32);
     * equal values keep column order. Beam search picks its candidates with it and reads back only these.
     */
    void topK(Tensor x, int rows, int cols, int k, Tensor values, Tensor indices);

    /**
     * Cross-entropy of each row's logits against an integer target, with label smoothing
     * {@code eps} (target distribution {@code (1−eps)·onehot + eps/cols}).
     * {@code losses[r]} receives the row's loss, 0 where {@code targets[r] == ignoreIndex};
     * {@code dLogits} (when not null) receives {@code gradScale · (softmax − target distribution)},
     * 0 on ignored rows.
     */
    void crossEntropy(Tensor logits, Tensor targets, int rows, int cols, int ignoreIndex, float eps,
                      Tensor losses, Tensor dLogits, float gradScale);

    // ---------------------------------------------------------------- embeddings and patches

    /** {@code out[i, :] = table[ids[i], :]}, {@code n} rows of width {@code dim}, written with leading dimension {@code ldOut}. */
    void embedding(Tensor table, Tensor ids, int n, int dim, Tensor out, int ldOut);

    /** Accumulates {@code dTable[ids[i], :] += dOut[i, :]} (a scatter-add; repeated ids sum). */
    void embeddingBackward(Tensor dOut, int ldOut, Tensor ids, int n, int dim, Tensor dTable);

    /**
     * Cuts {@code images [batch, channels, height, width]} into non-overlapping {@code p × p} patches taken
     * row by row: {@code out [batch·patches, channels·p·p]}, each row ordered (channel, y, x) as a
     * convolution weight {@code [dim, channels, p, p]} is flattened.
     */
    void patchify(Tensor images, int batch, int channels, int height, int width, int p, Tensor out);

    // ---------------------------------------------------------------- recurrent cells

    /**
     * One LSTM step for {@code batch} rows of {@code hidden} units, PyTorch's gate order (input,
     * forget, cell, output): {@code gates [batch, 4·hidden]} holds {@code x·W_ihᵀ + h·W_hhᵀ} without
     * biases; the cell adds both biases, writes {@code c = f⊙cPrev + i⊙g}, {@code h = o⊙tanh(c)} and
     * the activated gates into {@code acts} (which may be {@code gates} itself) for the backward pass.
     */
    void lstmCell(Tensor gates, Tensor biasIh, Tensor biasHh, Tensor cPrev, Tensor h, Tensor c, Tensor acts,
                  int batch, int hidden);

    /**
     * The backward pass of {@link #lstmCell}: from {@code dh} and {@code dc} (the gradient reaching c
     * from later steps) writes the pre-activation gradients {@code dGates} and overwrites {@code dc}
     * with the gradient of {@code cPrev}.
     */
    void lstmCellBackward(Tensor acts, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, Tensor dGates,
                          int batch, int hidden);

    /**
     * A stacked LSTM over a whole sequence, time-major: {@code x [steps·batch, input]},
     * {@code h0, c0 [layers, batch, hidden]}, {@code y [steps·batch, hidden]} (the top layer),
     * {@code hN, cN [layers, batch, hidden]}. The default composes {@link #gemm} and
     * {@link #lstmCell}; a backend may run it as one library call (cuDNN).
     */
    default LstmSequence.Saved lstmForward(List<LstmSequence.Layer> layers, int steps, int batch,
                                           Tensor x, Tensor h0, Tensor c0, Tensor y, Tensor hN, Tensor cN) {
        return LstmSequence.forward(this, layers, steps, batch, x, h0, c0, y, hN, cN);
    }

    /**
     * The backward pass of {@link #lstmForward}: {@code dy} for the top layer's outputs and
     * {@code dhN, dcN} for the final states (either may be null for zero) give {@code dx}, {@code dh0},
     * {@code dc0} (overwritten) and accumulate every layer's weight gradients.
     */
    default void lstmBackward(LstmSequence.Saved saved, Tensor dy, Tensor dhN, Tensor dcN,
                              Tensor dx, Tensor dh0, Tensor dc0) {
        LstmSequence.backward(this, saved, dy, dhN, dcN, dx, dh0, dc0);
    }

    // ---------------------------------------------------------------- the decoder's additive attention

    /**
     * One additive-attention read over {@code tokens} encoder tokens per image:
     * {@code u = tanh(encProj + decProj[:, None, :])} ({@code encProj [batch, tokens, att]},
     * {@code decProj [batch, att]}), {@code e = u·w + b} ({@code w [att]}, {@code b [1]}),
     * {@code alpha = softmax(e)} over tokens, {@code ctx = Σ_n alpha_n · enc_n} ({@code enc [batch, tokens, dim]}).
     * Writes {@code u [batch, tokens, att]}, {@code alpha [batch, tokens]} and {@code ctx [batch, dim]}.
     */
    void attention(Tensor encProj, Tensor decProj, Tensor w, Tensor b, Tensor enc,
                   Tensor u, Tensor alpha, Tensor ctx, int batch, int tokens, int att, int dim);

    /**
     * {@link #attention} for a decoding step, where no backward pass follows: {@code u} is not kept, and
     * each image's {@code encProj [images, tokens, att]} and {@code enc [images, tokens, dim]} serve
     * {@code share} consecutive rows of {@code decProj [rows, att]} (the hypotheses of a beam), so a beam
     * search reads its images' tokens once instead of once per hypothesis. {@code alpha [rows, tokens]},
     * {@code ctx [rows, dim]}. The default expands the tokens to one copy per row and runs {@link #attention}.
     */
    default void attentionStep(Tensor encProj, Tensor decProj, Tensor w, Tensor b, Tensor enc, Tensor alpha, Tensor ctx,
                               int rows, int share, int tokens, int att, int dim) {
        int[] image = new int[rows];
        for (int r = 0; r < rows; r++) image[r] = r / share;
        try (Tensor idx = uploadInts(image, rows);
             Tensor p = empty(DType.F32, rows, tokens, att); Tensor x = empty(DType.F32, rows, tokens, dim);
             Tensor u = empty(DType.F32, rows, tokens, att)) {
            gatherRows(rows, tokens * att, encProj, idx, p);
            gatherRows(rows, tokens * dim, enc, idx, x);
            attention(p, decProj, w, b, x, u, alpha, ctx, rows, tokens, att, dim);
        }
    }

    /**
     * The backward pass of {@link #attention}: from {@code dCtx [batch, dim]} and an optional extra
     * gradient on the weights {@code dAlpha [batch, tokens]} (the attention regulariser's; null for none),
     * writes {@code dDecProj}, and accumulates {@code dEncProj}, {@code dW}, {@code dB} and {@code dEnc}.
     */
    void attentionBackward(Tensor u, Tensor alpha, Tensor enc, Tensor w, Tensor dCtx, Tensor dAlpha,
                           Tensor dEncProj, Tensor dDecProj, Tensor dW, Tensor dB, Tensor dEnc,
                           int batch, int tokens, int att, int dim);

    // ---------------------------------------------------------------- optimiser

    /**
     * One AdamW step exactly as {@code torch.optim.AdamW} takes it, on a gradient first multiplied by
     * {@code gradScale} (gradient clipping): {@code p ← p·(1 − lr·wd) − lr/(1−β1^t) · m / (√v/√(1−β2^t) + eps)}.
     */
    void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
               float weightDecay, int step, float gradScale);

    /** Releases what the backend holds (pools, streams, handles). */
    @Override
    default void close() {
    }
}
