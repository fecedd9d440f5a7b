package dev.vitcap.cuda;

import dev.vitcap.cuda.PtxModule.Fn;
import dev.vitcap.kernel.BackendException;
import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.LstmSequence;
import dev.vitcap.kernel.Tensor;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

import java.util.List;

import static org.bytedeco.cuda.global.cudart.cuCtxGetCurrent;
import static org.bytedeco.cuda.global.cudart.cuCtxSetCurrent;
import static org.bytedeco.cuda.global.cudart.cudaErrorMemoryAllocation;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaGetLastError;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToDevice;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

/**
 * The {@code cuda} backend: every kernel of {@link Kernels} on GPU 0. Matrix products go to cuBLAS,
 * the whole-sequence LSTM to cuDNN (when present), everything else to the kernels of
 * {@code vitcap_kernels.cu}. All work is queued on one stream of this instance, in call order; the
 * host waits only where a value comes back ({@link #read}, {@link #sum}, {@link #sumOfSquares},
 * {@link #synchronize}). Device memory comes from a pool, so a steady loop allocates nothing.
 *
 * <p>One instance is meant for one thread at a time (any thread: the context follows the caller).
 */
public final class CudaKernels implements Kernels {
    private final CudaOptions options;
    private final boolean cudnnWanted;
    private final CUstream_st stream = new CUstream_st();
    private final CUctx_st context = new CUctx_st();
    private Thread contextThread;
    private DevicePool pool;
    private HostStaging staging;
    private PtxModule ptx;
    private Blas blas;
    private CudnnLstm cudnn;
    private DeviceTensor sumPartials, sumResult;

    /** Options from the system properties ({@link CudaOptions#fromSystemProperties()}). */
    public CudaKernels() {
        this(CudaOptions.fromSystemProperties());
    }

    public CudaKernels(CudaOptions options) {
        CudaSystem.Report found = CudaSystem.get();
        if (!found.probe().usable()) throw new BackendException("the cuda backend is unusable here: " + found.probe().detail());
        this.options = options;
        this.cudnnWanted = options.cudnn() && found.cudnn();
        try {
            Cuda.check(cudaSetDevice(0), "cudaSetDevice(0)");
            Cuda.check(cudaFree(null), "starting the CUDA context"); // cudaFree(NULL) creates the primary context
            Cuda.checkDriver(cuCtxGetCurrent(context), "cuCtxGetCurrent");
            contextThread = Thread.currentThread();
            Cuda.check(cudaStreamCreateWithFlags(stream, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
            pool = new DevicePool(new CudaMalloc());
            staging = new HostStaging(stream);
            ptx = new PtxModule(stream, options.syncEachLaunch());
            blas = new Blas(stream, options.precision());
            sumPartials = bytes(PtxModule.SUM_BLOCKS * (long) Double.BYTES);
            sumResult = bytes(Double.BYTES);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** cudaMalloc and cudaFree under the pool. */
    private static final class CudaMalloc implements DevicePool.Raw {
        @Override
        public long allocate(long bytes) {
            Pointer p = new Pointer();
            int error = cudaMalloc(p, bytes);
            if (error == cudaErrorMemoryAllocation) {
                cudaGetLastError(); // clears it, so that later calls do not report it again
                return 0;
            }
            Cuda.check(error, "cudaMalloc(" + bytes + ")");
            return p.address();
        }

        @Override
        public void free(long address) {
            Cuda.check(cudaFree(Cuda.at(address)), "cudaFree");
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** Whether {@link #lstmForward} runs on cuDNN (else on cuBLAS products and the fused cell). */
    public boolean usesCudnn() {
        return cudnnWanted;
    }

    /** How many times device memory was really allocated; constant once a loop is in its steady state. */
    public long deviceAllocations() {
        return pool.allocations();
    }

    static DeviceTensor d(Tensor t) {
        if (t instanceof DeviceTensor dt) return dt;
        throw new IllegalArgumentException("not a cuda tensor: " + (t == null ? "null" : t.getClass().getName()));
    }

    private static DeviceTensor dOrNull(Tensor t) {
        return t == null ? null : d(t);
    }

    /** Starts a kernel launch on this thread's view of the context. */
    private PtxModule launch(Fn fn) {
        Thread t = Thread.currentThread();
        if (t != contextThread) {
            Cuda.checkDriver(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            contextThread = t;
        }
        return ptx.start(fn);
    }

    // ---------------------------------------------------------------- memory and host transfers

    @Override
    public Tensor empty(DType dtype, int... shape) {
        return DeviceTensor.allocate(pool, dtype, shape);
    }

    /** A flat float tensor of at least {@code n} bytes (cuDNN's buffers). */
    DeviceTensor bytes(long n) {
        return DeviceTensor.allocate(pool, DType.F32, Math.toIntExact(Math.max(1, (n + DeviceTensor.ELEMENT_BYTES - 1) / DeviceTensor.ELEMENT_BYTES)));
    }

    DeviceTensor zeroed(DeviceTensor t) {
        fill(t, 0f);
        return t;
    }

    DeviceTensor ints(int[] values) {
        DeviceTensor t = DeviceTensor.allocate(pool, DType.I32, values.length);
        writeInts(t, values);
        return t;
    }

    /** Queues a device-to-device copy of {@code n} elements. */
    void copyDevice(DeviceTensor src, long srcOffset, DeviceTensor dst, long dstOffset, long n) {
        int e = DeviceTensor.ELEMENT_BYTES;
        Cuda.check(cudaMemcpyAsync(Cuda.at(dst.address() + dstOffset * e), Cuda.at(src.address() + srcOffset * e), n * e,
                cudaMemcpyDeviceToDevice, stream), "cudaMemcpyAsync (device to device)");
    }

    private static int hostLength(Tensor t, int available) {
        int n = Math.toIntExact(t.size());
        if (available < n) throw new IllegalArgumentException("host array of " + available + " for " + Tensor.describe(t));
        return n;
    }

    @Override
    public void write(Tensor dst, float[] src) {
        int n = hostLength(dst, src.length);
        staging.upload(d(dst).address(), d(dst).bytes(), host -> new FloatPointer(host).put(src, 0, n));
    }

    @Override
    public void writeInts(Tensor dst, int[] src) {
        int n = hostLength(dst, src.length);
        staging.upload(d(dst).address(), d(dst).bytes(), host -> new IntPointer(host).put(src, 0, n));
    }

    @Override
    public void read(Tensor src, float[] dst) {
        int n = hostLength(src, dst.length);
        staging.download(d(src).address(), d(src).bytes(), host -> new FloatPointer(host).get(dst, 0, n));
    }

    @Override
    public void readInts(Tensor src, int[] dst) {
        int n = hostLength(src, dst.length);
        staging.download(d(src).address(), d(src).bytes(), host -> new IntPointer(host).get(dst, 0, n));
    }

    @Override
    public void fill(Tensor t, float value) {
        launch(Fn.FILL).ptr(d(t)).i64(t.size()).f32(value).overElements(t.size());
    }

    @Override
    public void copy2d(int rows, int cols, Tensor src, int srcLd, Tensor dst, int dstLd) {
        launch(Fn.COPY2D).i32(rows).i32(cols).ptr(d(src)).i32(srcLd).ptr(d(dst)).i32(dstLd).overElements((long) rows * cols);
    }

    @Override
    public void gatherRows(int rows, int cols, Tensor src, Tensor idx, Tensor dst) {
        launch(Fn.GATHER_ROWS).i32(rows).i32(cols).ptr(d(src)).ptr(d(idx)).ptr(d(dst)).overElements((long) rows * cols);
    }

    @Override
    public void synchronize() {
        Cuda.check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    // ---------------------------------------------------------------- matrix products

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Tensor a, int lda, Tensor b, int ldb, float beta, Tensor c, int ldc) {
        blas.gemm(transA, transB, m, n, k, alpha, d(a), lda, d(b), ldb, beta, d(c), ldc);
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            Tensor a, int lda, long strideA, Tensor b, int ldb, long strideB,
                            float beta, Tensor c, int ldc, long strideC, int batch) {
        blas.gemmBatched(transA, transB, m, n, k, alpha, d(a), lda, strideA, d(b), ldb, strideB, beta, d(c), ldc, strideC, batch);
    }

    // ---------------------------------------------------------------- bias, broadcasts and reductions

    @Override
    public void addBias(Tensor y, int rows, int cols, Tensor bias) {
        launch(Fn.ADD_BIAS).ptr(d(y)).i32(rows).i32(cols).ptr(d(bias)).overElements((long) rows * cols);
    }

    @Override
    public void sumRows(Tensor x, int rows, int cols, Tensor out) {
        launch(Fn.COLUMN_SUM).ptr(d(x)).i32(rows).i32(cols).ptr(null).ptr(d(out)).overColumns(cols);
    }

    @Override
    public void meanTokens(Tensor x, int batch, int tokens, int dim, Tensor out) {
        launch(Fn.MEAN_TOKENS).ptr(d(x)).i32(batch).i32(tokens).i32(dim).ptr(d(out)).overElements((long) batch * dim);
    }

    @Override
    public void meanTokensBackward(Tensor dOut, int batch, int tokens, int dim, Tensor dx) {
        launch(Fn.MEAN_TOKENS_BACKWARD).ptr(d(dOut)).i32(batch).i32(tokens).i32(dim).ptr(d(dx)).overElements((long) batch * tokens * dim);
    }

    @Override
    public double sum(Tensor x) {
        return reduce(List.of(x), false);
    }

    @Override
    public double sumOfSquares(List<Tensor> xs) {
        return reduce(xs, true);
    }

    /** Two passes on the device (fixed-grid partials in double, then their sum); one double comes back. */
    private double reduce(List<Tensor> xs, boolean squares) {
        fill(sumPartials, 0f); // float zeros are double zeros
        for (Tensor x : xs) {
            if (x.size() > 0) launch(Fn.SUM_PARTIALS).ptr(d(x)).i64(x.size()).i32(squares ? 1 : 0).ptr(sumPartials).blocks(PtxModule.SUM_BLOCKS);
        }
        launch(Fn.SUM_FINISH).ptr(sumPartials).i32(PtxModule.SUM_BLOCKS).ptr(sumResult).blocks(1);
        double[] result = new double[1];
        staging.download(sumResult.address(), Double.BYTES, host -> result[0] = host.getDouble(0));
        return result[0];
    }

    // ---------------------------------------------------------------- element-wise

    /** A kernel of the form {@code f(in0, in1, out, n)} over {@code out}'s elements. */
    private void elementwise(Fn fn, Tensor in0, Tensor in1, Tensor out) {
        launch(fn).ptr(d(in0)).ptr(d(in1)).ptr(d(out)).i64(out.size()).overElements(out.size());
    }

    /** A kernel of the form {@code f(x, y, n)} over {@code y}'s elements. */
    private void unary(Fn fn, Tensor x, Tensor y) {
        launch(fn).ptr(d(x)).ptr(d(y)).i64(y.size()).overElements(y.size());
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        elementwise(Fn.ADD, a, b, out);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        elementwise(Fn.MUL, a, b, out);
    }

    @Override
    public void axpby(float alpha, Tensor x, float beta, Tensor y) {
        launch(Fn.AXPBY).f32(alpha).ptr(d(x)).f32(beta).ptr(d(y)).i64(y.size()).overElements(y.size());
    }

    @Override
    public void scaleRows(Tensor x, int rows, int cols, Tensor s) {
        launch(Fn.SCALE_ROWS).ptr(d(x)).i32(rows).i32(cols).ptr(d(s)).overElements((long) rows * cols);
    }

    @Override
    public void tanh(Tensor x, Tensor y) {
        unary(Fn.TANH_FORWARD, x, y);
    }

    @Override
    public void tanhBackward(Tensor y, Tensor dy, Tensor dx) {
        elementwise(Fn.TANH_BACKWARD, y, dy, dx);
    }

    @Override
    public void sigmoid(Tensor x, Tensor y) {
        unary(Fn.SIGMOID_FORWARD, x, y);
    }

    @Override
    public void sigmoidBackward(Tensor y, Tensor dy, Tensor dx) {
        elementwise(Fn.SIGMOID_BACKWARD, y, dy, dx);
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        unary(Fn.RELU_FORWARD, x, y);
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        elementwise(Fn.RELU_BACKWARD, y, dy, dx);
    }

    @Override
    public void gelu(Tensor x, Tensor y) {
        unary(Fn.GELU_FORWARD, x, y);
    }

    @Override
    public void geluBackward(Tensor x, Tensor dy, Tensor dx) {
        elementwise(Fn.GELU_BACKWARD, x, dy, dx);
    }

    @Override
    public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed) {
        float keep = 1f / (1f - p); // in float, exactly as the reference rounds it
        launch(Fn.DROPOUT).ptr(d(x)).ptr(d(y)).ptr(d(mask)).i64(y.size()).f32(p).f32(keep).i64(seed).overElements(y.size());
    }

    // ---------------------------------------------------------------- normalisation, softmax, loss

    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor mean, Tensor rstd, int rows, int cols, float eps) {
        launch(Fn.LAYER_NORM).ptr(d(x)).ptr(d(gamma)).ptr(d(beta)).ptr(d(y)).ptr(d(mean)).ptr(d(rstd))
                .i32(rows).i32(cols).f32(eps).overRows(rows);
    }

    @Override
    public void layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta, int rows, int cols) {
        launch(Fn.LAYER_NORM_BACKWARD_INPUT).ptr(d(dy)).ptr(d(x)).ptr(d(gamma)).ptr(d(mean)).ptr(d(rstd)).ptr(d(dx))
                .i32(rows).i32(cols).overRows(rows);
        launch(Fn.LAYER_NORM_BACKWARD_PARAMS).ptr(d(dy)).ptr(d(x)).ptr(d(mean)).ptr(d(rstd)).ptr(d(dGamma)).ptr(d(dBeta))
                .i32(rows).i32(cols).overColumns(cols);
    }

    @Override
    public void softmax(Tensor x, Tensor y, int rows, int cols, float scale) {
        launch(Fn.SOFTMAX).ptr(d(x)).ptr(d(y)).i32(rows).i32(cols).f32(scale).overRows(rows);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx, int rows, int cols, float scale) {
        launch(Fn.SOFTMAX_BACKWARD).ptr(d(y)).ptr(d(dy)).ptr(d(dx)).i32(rows).i32(cols).f32(scale).overRows(rows);
    }

    @Override
    public void logSoftmax(Tensor x, Tensor y, int rows, int cols) {
        launch(Fn.LOG_SOFTMAX).ptr(d(x)).ptr(d(y)).i32(rows).i32(cols).overRows(rows);
    }

    @Override
    public void argmaxRows(Tensor x, int rows, int cols, Tensor idx) {
        launch(Fn.ARGMAX_ROWS).ptr(d(x)).i32(rows).i32(cols).ptr(d(idx)).overRows(rows);
    }

    @Override
    public void topK(Tensor x, int rows, int cols, int k, Tensor values, Tensor indices) {
        if (k > TOP_K_MAX) throw new IllegalArgumentException("topK takes k <= " + TOP_K_MAX + ", not " + k);
        launch(Fn.TOP_K).ptr(d(x)).i32(rows).i32(cols).i32(k).ptr(d(values)).ptr(d(indices)).overRowBlocks(rows);
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor targets, int rows, int cols, int ignoreIndex, float eps,
                             Tensor losses, Tensor dLogits, float gradScale) {
        launch(Fn.CROSS_ENTROPY).ptr(d(logits)).ptr(d(targets)).i32(rows).i32(cols).i32(ignoreIndex).f32(eps)
                .ptr(d(losses)).ptr(dOrNull(dLogits)).f32(gradScale).overRows(rows);
    }

    // ---------------------------------------------------------------- embeddings and patches

    @Override
    public void embedding(Tensor table, Tensor ids, int n, int dim, Tensor out, int ldOut) {
        launch(Fn.EMBEDDING).ptr(d(table)).ptr(d(ids)).i32(n).i32(dim).ptr(d(out)).i32(ldOut).overElements((long) n * dim);
    }

    @Override
    public void embeddingBackward(Tensor dOut, int ldOut, Tensor ids, int n, int dim, Tensor dTable) {
        launch(Fn.EMBEDDING_BACKWARD).ptr(d(dOut)).i32(ldOut).ptr(d(ids)).i32(n).i32(dim).ptr(d(dTable)).overElements((long) n * dim);
    }

    @Override
    public void patchify(Tensor images, int batch, int channels, int height, int width, int p, Tensor out) {
        long n = (long) batch * (height / p) * (width / p) * channels * p * p;
        launch(Fn.PATCHIFY).ptr(d(images)).i32(batch).i32(channels).i32(height).i32(width).i32(p).ptr(d(out)).overElements(n);
    }

    // ---------------------------------------------------------------- recurrent cells

    @Override
    public void lstmCell(Tensor gates, Tensor biasIh, Tensor biasHh, Tensor cPrev, Tensor h, Tensor c, Tensor acts,
                         int batch, int hidden) {
        launch(Fn.LSTM_CELL).ptr(d(gates)).ptr(d(biasIh)).ptr(d(biasHh)).ptr(d(cPrev)).ptr(d(h)).ptr(d(c)).ptr(d(acts))
                .i32(batch).i32(hidden).overElements((long) batch * hidden);
    }

    @Override
    public void lstmCellBackward(Tensor acts, Tensor cPrev, Tensor c, Tensor dh, Tensor dc, Tensor dGates, int batch, int hidden) {
        launch(Fn.LSTM_CELL_BACKWARD).ptr(d(acts)).ptr(d(cPrev)).ptr(d(c)).ptr(d(dh)).ptr(d(dc)).ptr(d(dGates))
                .i32(batch).i32(hidden).overElements((long) batch * hidden);
    }

    private CudnnLstm cudnn() {
        if (cudnn == null) cudnn = new CudnnLstm(this, stream, options.precision());
        return cudnn;
    }

    @Override
    public LstmSequence.Saved lstmForward(List<LstmSequence.Layer> layers, int steps, int batch,
                                          Tensor x, Tensor h0, Tensor c0, Tensor y, Tensor hN, Tensor cN) {
        if (!cudnnWanted || !CudnnLstm.supports(layers)) return Kernels.super.lstmForward(layers, steps, batch, x, h0, c0, y, hN, cN);
        return cudnn().forward(layers, steps, batch, d(x), d(h0), d(c0), d(y), d(hN), d(cN));
    }

    @Override
    public void lstmBackward(LstmSequence.Saved saved, Tensor dy, Tensor dhN, Tensor dcN, Tensor dx, Tensor dh0, Tensor dc0) {
        if (!CudnnLstm.owns(saved)) {
            Kernels.super.lstmBackward(saved, dy, dhN, dcN, dx, dh0, dc0);
            return;
        }
        cudnn().backward(saved, dOrNull(dy), dOrNull(dhN), dOrNull(dcN), dOrNull(dx), d(dh0), d(dc0));
    }

    // ---------------------------------------------------------------- the decoder's additive attention

    @Override
    public void attention(Tensor encProj, Tensor decProj, Tensor w, Tensor b, Tensor enc,
                          Tensor u, Tensor alpha, Tensor ctx, int batch, int tokens, int att, int dim) {
        launch(Fn.ATTENTION_SCORES).ptr(d(encProj)).ptr(d(decProj)).ptr(d(w)).ptr(d(b)).ptr(d(u)).ptr(d(alpha))
                .i32(batch).i32(tokens).i32(att).overRows((long) batch * tokens);
        softmax(alpha, alpha, batch, tokens, 1f);
        launch(Fn.ATTENTION_CONTEXT).ptr(d(alpha)).ptr(d(enc)).ptr(d(ctx)).i32(batch).i32(tokens).i32(dim).overElements((long) batch * dim);
    }

    @Override
    public void attentionBackward(Tensor u, Tensor alpha, Tensor enc, Tensor w, Tensor dCtx, Tensor dAlpha,
                                  Tensor dEncProj, Tensor dDecProj, Tensor dW, Tensor dB, Tensor dEnc,
                                  int batch, int tokens, int att, int dim) {
        try (DeviceTensor de = DeviceTensor.allocate(pool, DType.F32, batch * tokens)) {
            launch(Fn.ATTENTION_BACKWARD_ALPHA).ptr(d(alpha)).ptr(d(enc)).ptr(d(dCtx)).ptr(dOrNull(dAlpha)).ptr(de).ptr(d(dEnc))
                    .i32(batch).i32(tokens).i32(dim).overRows((long) batch * tokens);
            launch(Fn.ATTENTION_BACKWARD_SCORES).ptr(d(alpha)).ptr(de).ptr(d(dB)).i32(batch).i32(tokens).blocks(1);
            launch(Fn.ATTENTION_BACKWARD_PROJECTION).ptr(d(u)).ptr(d(w)).ptr(de).ptr(d(dEncProj)).ptr(d(dDecProj))
                    .i32(batch).i32(tokens).i32(att).overElements((long) batch * att);
            launch(Fn.COLUMN_SUM).ptr(d(u)).i32(batch * tokens).i32(att).ptr(de).ptr(d(dW)).overColumns(att);
        }
    }

    // ---------------------------------------------------------------- optimiser

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                      float weightDecay, int step, float gradScale) {
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        launch(Fn.ADAMW).ptr(d(param)).ptr(d(grad)).ptr(d(m)).ptr(d(v)).i64(param.size()).f32(lr).f32(beta1).f32(beta2)
                .f32(eps).f32(weightDecay).f64(bc1).f64(bc2).f32(gradScale).overElements(param.size());
    }

    /** Frees what this instance holds; tensors still open are freed with the process's CUDA context. */
    @Override
    public void close() {
        if (stream.isNull()) return;
        cudaStreamSynchronize(stream); // let queued work finish before its memory goes; its errors were reported already or are moot
        if (cudnn != null) cudnn.close();
        if (blas != null) blas.close();
        if (ptx != null) ptx.close();
        if (staging != null) staging.close();
        if (sumPartials != null) sumPartials.close();
        if (sumResult != null) sumResult.close();
        if (pool != null) pool.close();
        cudaStreamDestroy(stream);
        stream.setNull();
    }
}
