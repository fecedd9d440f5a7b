// The cuda backend's own kernels: everything of dev.vitcap.kernel.Kernels that is not a cuBLAS product
// or a cuDNN sequence. Semantics are those of ReferenceKernels; each kernel's comment names the method.
//
// Compiled ahead of time to PTX for compute_80 by ../../build-ptx.sh; the driver JIT-compiles that PTX
// for the GPU it runs on (sm_80, sm_90, sm_100 and later). Launch shapes are chosen on the Java side
// (CudaKernels): element-wise kernels take any grid (grid-stride loops), "warp per row" kernels take
// blocks of ROW_BLOCK threads and one warp per row, "column" kernels take blocks of 32 x COLUMN_LANES
// threads and one block per 32 columns. Nothing is __restrict__: outputs may alias inputs where the
// contract allows in-place use.

#define EXPORT extern "C" __global__
#define FULL_MASK 0xffffffffu
#define COLUMN_LANES 16
#define TOPK_THREADS 128
#define TOPK_MAX 32

typedef long long i64;
typedef unsigned long long u64;

// ------------------------------------------------------------------------------------------ helpers

template <typename F>
__device__ __forceinline__ void for_each_index(i64 n, F f) {
    i64 stride = (i64)gridDim.x * blockDim.x;
    for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) f(i);
}

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
    return v;
}

__device__ __forceinline__ double warp_sum(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, o));
    return v;
}

__device__ __forceinline__ int lane_id() { return threadIdx.x & 31; }

/** The row a warp owns in a "warp per row" launch. */
__device__ __forceinline__ int warp_row() { return blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); }

/** Sums v over threadIdx.y for each threadIdx.x of a column launch; the result is valid where threadIdx.y == 0. */
__device__ float column_lanes_sum(float v) {
    __shared__ float partial[COLUMN_LANES][33];
    partial[threadIdx.y][threadIdx.x] = v;
    __syncthreads();
    if (threadIdx.y == 0) {
        float t = 0.0f;
        for (int k = 0; k < COLUMN_LANES; k++) t += partial[k][threadIdx.x];
        v = t;
    }
    __syncthreads(); // the array is reused by the next call in the same kernel
    return v;
}

/** Sums v over the whole block (any size up to 1024); the result is valid in thread 0. */
__device__ double block_sum(double v) {
    __shared__ double warps[32];
    v = warp_sum(v);
    if (lane_id() == 0) warps[threadIdx.x >> 5] = v;
    __syncthreads();
    if (threadIdx.x == 0) {
        double t = 0.0;
        for (int w = 0; w < (int)(blockDim.x >> 5); w++) t += warps[w];
        v = t;
    }
    return v;
}

__device__ __forceinline__ float sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

// ------------------------------------------------------------------------------------------ memory

/** fill */
EXPORT void fill(float* x, i64 n, float value) {
    for_each_index(n, [=](i64 i) { x[i] = value; });
}

/** copy2d; srcLd = 0 repeats one source row. */
EXPORT void copy2d(int rows, int cols, const float* src, int srcLd, float* dst, int dstLd) {
    for_each_index((i64)rows * cols, [=](i64 i) {
        i64 r = i / cols, c = i % cols;
        dst[r * dstLd + c] = src[r * srcLd + c];
    });
}

/** gatherRows */
EXPORT void gather_rows(int rows, int cols, const float* src, const int* idx, float* dst) {
    for_each_index((i64)rows * cols, [=](i64 i) {
        i64 r = i / cols, c = i % cols;
        dst[i] = src[(i64)idx[r] * cols + c];
    });
}

// ------------------------------------------------------------------------------------------ bias, broadcasts, reductions

/** addBias */
EXPORT void add_bias(float* y, int rows, int cols, const float* bias) {
    for_each_index((i64)rows * cols, [=](i64 i) { y[i] += bias[i % cols]; });
}

/** out[c] += sum over r of weight[r] * x[r, c] (weight null: 1): sumRows, and the attention's dW. */
EXPORT void column_sum(const float* x, int rows, int cols, const float* weight, float* out) {
    int c = blockIdx.x * 32 + threadIdx.x;
    float acc = 0.0f;
    if (c < cols) {
        for (int r = threadIdx.y; r < rows; r += COLUMN_LANES) {
            float v = x[(i64)r * cols + c];
            acc += weight == nullptr ? v : weight[r] * v;
        }
    }
    acc = column_lanes_sum(acc);
    if (threadIdx.y == 0 && c < cols) out[c] += acc;
}

/** meanTokens */
EXPORT void mean_tokens(const float* x, int batch, int tokens, int dim, float* out) {
    for_each_index((i64)batch * dim, [=](i64 i) {
        i64 b = i / dim, d = i % dim;
        float acc = 0.0f;
        for (int n = 0; n < tokens; n++) acc += x[(b * tokens + n) * dim + d];
        out[i] = acc / tokens;
    });
}

/** meanTokensBackward */
EXPORT void mean_tokens_backward(const float* dOut, int batch, int tokens, int dim, float* dx) {
    float inv = 1.0f / tokens;
    for_each_index((i64)batch * tokens * dim, [=](i64 i) {
        i64 b = i / ((i64)tokens * dim), d = i % dim;
        dx[i] += dOut[b * dim + d] * inv;
    });
}

/**
 * sum / sumOfSquares, first pass: a fixed grid, so that every block adds its share (in double) to its
 * own partials[blockIdx.x] and the result does not depend on scheduling. Launched once per tensor.
 */
EXPORT void sum_partials(const float* x, i64 n, int squares, double* partials) {
    double acc = 0.0;
    for_each_index(n, [&](i64 i) {
        double v = x[i];
        acc += squares ? v * v : v;
    });
    acc = block_sum(acc);
    if (threadIdx.x == 0) partials[blockIdx.x] += acc;
}

/** sum / sumOfSquares, second pass: one thread adds the partials in order. */
EXPORT void sum_finish(const double* partials, int count, double* out) {
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        double t = 0.0;
        for (int k = 0; k < count; k++) t += partials[k];
        *out = t;
    }
}

// ------------------------------------------------------------------------------------------ element-wise

/** add */
EXPORT void add(const float* a, const float* b, float* out, i64 n) {
    for_each_index(n, [=](i64 i) { out[i] = a[i] + b[i]; });
}

/** mul */
EXPORT void mul(const float* a, const float* b, float* out, i64 n) {
    for_each_index(n, [=](i64 i) { out[i] = a[i] * b[i]; });
}

/** axpby; beta = 0 ignores what y held. */
EXPORT void axpby(float alpha, const float* x, float beta, float* y, i64 n) {
    for_each_index(n, [=](i64 i) { y[i] = alpha * x[i] + (beta == 0.0f ? 0.0f : beta * y[i]); });
}

/** scaleRows */
EXPORT void scale_rows(float* x, int rows, int cols, const float* s) {
    for_each_index((i64)rows * cols, [=](i64 i) { x[i] *= s[i / cols]; });
}

EXPORT void tanh_forward(const float* x, float* y, i64 n) {
    for_each_index(n, [=](i64 i) { y[i] = tanhf(x[i]); });
}

EXPORT void tanh_backward(const float* y, const float* dy, float* dx, i64 n) {
    for_each_index(n, [=](i64 i) { dx[i] = dy[i] * (1.0f - y[i] * y[i]); });
}

EXPORT void sigmoid_forward(const float* x, float* y, i64 n) {
    for_each_index(n, [=](i64 i) { y[i] = sigmoidf(x[i]); });
}

EXPORT void sigmoid_backward(const float* y, const float* dy, float* dx, i64 n) {
    for_each_index(n, [=](i64 i) { dx[i] = dy[i] * y[i] * (1.0f - y[i]); });
}

EXPORT void relu_forward(const float* x, float* y, i64 n) {
    for_each_index(n, [=](i64 i) { y[i] = fmaxf(0.0f, x[i]); });
}

EXPORT void relu_backward(const float* y, const float* dy, float* dx, i64 n) {
    for_each_index(n, [=](i64 i) { dx[i] = y[i] > 0.0f ? dy[i] : 0.0f; });
}

/** The exact GELU, x * Phi(x). */
EXPORT void gelu_forward(const float* x, float* y, i64 n) {
    for_each_index(n, [=](i64 i) {
        float v = x[i];
        y[i] = v * 0.5f * (1.0f + erff(v * 0.70710678118654752f));
    });
}

EXPORT void gelu_backward(const float* x, const float* dy, float* dx, i64 n) {
    for_each_index(n, [=](i64 i) {
        float v = x[i];
        float cdf = 0.5f * (1.0f + erff(v * 0.70710678118654752f));
        float pdf = expf(-0.5f * v * v) * 0.39894228040143268f;
        dx[i] = dy[i] * (cdf + v * pdf);
    });
}

/**
 * dropout: DropoutHash.uniform(seed, i) in 64-bit integer arithmetic (SplitMix64's finaliser), so the
 * mask is bit-identical to every other backend's; keep = 1/(1-p) is computed by the caller in float.
 */
EXPORT void dropout(const float* x, float* y, float* mask, i64 n, float p, float keep, u64 seed) {
    for_each_index(n, [=](i64 i) {
        u64 z = seed + (u64)(i + 1) * 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        float u = (float)(z >> 40) * 5.9604644775390625e-8f; // 2^-24
        float m = u < p ? 0.0f : keep;
        mask[i] = m;
        y[i] = x[i] * m;
    });
}

// ------------------------------------------------------------------------------------------ normalisation, softmax, loss
// One warp per row: rows are at most a few thousand wide, and the shuffles need no block barrier.

/** layerNorm */
EXPORT void layer_norm(const float* x, const float* gamma, const float* beta, float* y, float* mean, float* rstd,
                       int rows, int cols, float eps) {
    int row = warp_row();
    if (row >= rows) return;
    const float* xr = x + (i64)row * cols;
    float* yr = y + (i64)row * cols;
    float s = 0.0f;
    for (int c = lane_id(); c < cols; c += 32) s += xr[c];
    float mu = warp_sum(s) / cols;
    float q = 0.0f;
    for (int c = lane_id(); c < cols; c += 32) {
        float d = xr[c] - mu;
        q += d * d;
    }
    float rs = 1.0f / sqrtf(warp_sum(q) / cols + eps);
    for (int c = lane_id(); c < cols; c += 32) yr[c] = (xr[c] - mu) * rs * gamma[c] + beta[c];
    if (lane_id() == 0) {
        mean[row] = mu;
        rstd[row] = rs;
    }
}

/** layerNormBackward, the input's part: accumulates dx. */
EXPORT void layer_norm_backward_input(const float* dy, const float* x, const float* gamma, const float* mean,
                                      const float* rstd, float* dx, int rows, int cols) {
    int row = warp_row();
    if (row >= rows) return;
    i64 o = (i64)row * cols;
    float mu = mean[row], rs = rstd[row];
    float sg = 0.0f, sgx = 0.0f;
    for (int c = lane_id(); c < cols; c += 32) {
        float g = dy[o + c] * gamma[c];
        sg += g;
        sgx += g * (x[o + c] - mu) * rs;
    }
    float meanG = warp_sum(sg) / cols, meanGX = warp_sum(sgx) / cols;
    for (int c = lane_id(); c < cols; c += 32) {
        float xhat = (x[o + c] - mu) * rs;
        dx[o + c] += (dy[o + c] * gamma[c] - meanG - xhat * meanGX) * rs;
    }
}

/** layerNormBackward, the parameters' part (a column launch): accumulates dGamma and dBeta. */
EXPORT void layer_norm_backward_params(const float* dy, const float* x, const float* mean, const float* rstd,
                                       float* dGamma, float* dBeta, int rows, int cols) {
    int c = blockIdx.x * 32 + threadIdx.x;
    float accG = 0.0f, accB = 0.0f;
    if (c < cols) {
        for (int r = threadIdx.y; r < rows; r += COLUMN_LANES) {
            i64 at = (i64)r * cols + c;
            accG += dy[at] * (x[at] - mean[r]) * rstd[r];
            accB += dy[at];
        }
    }
    accG = column_lanes_sum(accG);
    accB = column_lanes_sum(accB);
    if (threadIdx.y == 0 && c < cols) {
        dGamma[c] += accG;
        dBeta[c] += accB;
    }
}

/** softmax of scale * x over each row; y may be x. */
EXPORT void softmax(const float* x, float* y, int rows, int cols, float scale) {
    int row = warp_row();
    if (row >= rows) return;
    const float* xr = x + (i64)row * cols;
    float* yr = y + (i64)row * cols;
    float m = -INFINITY;
    for (int c = lane_id(); c < cols; c += 32) m = fmaxf(m, scale * xr[c]);
    m = warp_max(m);
    float z = 0.0f;
    for (int c = lane_id(); c < cols; c += 32) z += expf(scale * xr[c] - m);
    z = warp_sum(z);
    for (int c = lane_id(); c < cols; c += 32) yr[c] = expf(scale * xr[c] - m) / z;
}

/** softmaxBackward; dx may be dy. */
EXPORT void softmax_backward(const float* y, const float* dy, float* dx, int rows, int cols, float scale) {
    int row = warp_row();
    if (row >= rows) return;
    i64 o = (i64)row * cols;
    float dot = 0.0f;
    for (int c = lane_id(); c < cols; c += 32) dot += y[o + c] * dy[o + c];
    dot = warp_sum(dot);
    for (int c = lane_id(); c < cols; c += 32) dx[o + c] = scale * y[o + c] * (dy[o + c] - dot);
}

/** log(sum exp) of a row, by every lane of the warp. */
__device__ float row_log_sum_exp(const float* xr, int cols) {
    float m = -INFINITY;
    for (int c = lane_id(); c < cols; c += 32) m = fmaxf(m, xr[c]);
    m = warp_max(m);
    float z = 0.0f;
    for (int c = lane_id(); c < cols; c += 32) z += expf(xr[c] - m);
    return m + logf(warp_sum(z));
}

/** logSoftmax */
EXPORT void log_softmax(const float* x, float* y, int rows, int cols) {
    int row = warp_row();
    if (row >= rows) return;
    const float* xr = x + (i64)row * cols;
    float* yr = y + (i64)row * cols;
    float lse = row_log_sum_exp(xr, cols);
    for (int c = lane_id(); c < cols; c += 32) yr[c] = xr[c] - lse;
}

/** argmaxRows: the first index on ties. */
EXPORT void argmax_rows(const float* x, int rows, int cols, int* idx) {
    int row = warp_row();
    if (row >= rows) return;
    const float* xr = x + (i64)row * cols;
    float best = -INFINITY;
    int at = 0x7fffffff;
    for (int c = lane_id(); c < cols; c += 32) {
        if (at == 0x7fffffff || xr[c] > best) {
            best = xr[c];
            at = c;
        }
    }
    for (int o = 16; o > 0; o >>= 1) {
        float otherBest = __shfl_xor_sync(FULL_MASK, best, o);
        int otherAt = __shfl_xor_sync(FULL_MASK, at, o);
        if (otherBest > best || (otherBest == best && otherAt < at)) {
            best = otherBest;
            at = otherAt;
        }
    }
    if (lane_id() == 0) idx[row] = at;
}

/** Whether (va, column ca) comes before (vb, cb) in a top-k list: larger values first, then lower columns. */
__device__ __forceinline__ bool topk_before(float va, int ca, float vb, int cb) {
    return va > vb || (va == vb && ca < cb);
}

/**
 * topK, one block of TOPK_THREADS per row, k <= TOPK_MAX: each thread keeps the top k of its strided
 * share of the row in its slice of shared memory, then the slices are merged pairwise in a tree.
 */
EXPORT void top_k(const float* x, int rows, int cols, int k, float* values, int* indices) {
    __shared__ float sv[TOPK_THREADS * TOPK_MAX];
    __shared__ int sc[TOPK_THREADS * TOPK_MAX];
    int row = blockIdx.x, t = threadIdx.x;
    if (row >= rows) return;
    const float* xr = x + (i64)row * cols;
    float* v = sv + t * TOPK_MAX;
    int* c = sc + t * TOPK_MAX;
    for (int j = 0; j < k; j++) {
        v[j] = -INFINITY;
        c[j] = 0x7fffffff;
    }
    for (int col = t; col < cols; col += TOPK_THREADS) {
        float val = xr[col];
        if (!topk_before(val, col, v[k - 1], c[k - 1])) continue;
        int j = k - 1;
        while (j > 0 && topk_before(val, col, v[j - 1], c[j - 1])) {
            v[j] = v[j - 1];
            c[j] = c[j - 1];
            j--;
        }
        v[j] = val;
        c[j] = col;
    }
    __syncthreads();
    for (int s = 1; s < TOPK_THREADS; s <<= 1) {
        if (t % (2 * s) == 0) {
            float* bv = sv + (t + s) * TOPK_MAX;
            int* bc = sc + (t + s) * TOPK_MAX;
            float mv[TOPK_MAX];
            int mc[TOPK_MAX];
            int i = 0, j = 0;
            for (int o = 0; o < k; o++) {
                if (topk_before(v[i], c[i], bv[j], bc[j])) {
                    mv[o] = v[i];
                    mc[o] = c[i++];
                } else {
                    mv[o] = bv[j];
                    mc[o] = bc[j++];
                }
            }
            for (int o = 0; o < k; o++) {
                v[o] = mv[o];
                c[o] = mc[o];
            }
        }
        __syncthreads();
    }
    if (t == 0) {
        for (int o = 0; o < k; o++) {
            values[(i64)row * k + o] = v[o];
            indices[(i64)row * k + o] = c[o];
        }
    }
}

/** crossEntropy with label smoothing eps and an ignored target id; dLogits may be null. */
EXPORT void cross_entropy(const float* logits, const int* targets, int rows, int cols, int ignoreIndex, float eps,
                          float* losses, float* dLogits, float gradScale) {
    int row = warp_row();
    if (row >= rows) return;
    i64 o = (i64)row * cols;
    int target = targets[row];
    if (target == ignoreIndex) {
        if (lane_id() == 0) losses[row] = 0.0f;
        if (dLogits != nullptr) for (int c = lane_id(); c < cols; c += 32) dLogits[o + c] = 0.0f;
        return;
    }
    float lse = row_log_sum_exp(logits + o, cols);
    float smooth = eps / cols, loss = 0.0f;
    for (int c = lane_id(); c < cols; c += 32) {
        float q = (c == target ? 1.0f - eps : 0.0f) + smooth;
        float logp = logits[o + c] - lse;
        loss -= q * logp;
        if (dLogits != nullptr) dLogits[o + c] = gradScale * (expf(logp) - q);
    }
    loss = warp_sum(loss);
    if (lane_id() == 0) losses[row] = loss;
}

// ------------------------------------------------------------------------------------------ embeddings and patches

/** embedding */
EXPORT void embedding(const float* table, const int* ids, int n, int dim, float* out, int ldOut) {
    for_each_index((i64)n * dim, [=](i64 i) {
        i64 r = i / dim, c = i % dim;
        out[r * ldOut + c] = table[(i64)ids[r] * dim + c];
    });
}

/** embeddingBackward: a scatter-add, so repeated ids meet in atomics. */
EXPORT void embedding_backward(const float* dOut, int ldOut, const int* ids, int n, int dim, float* dTable) {
    for_each_index((i64)n * dim, [=](i64 i) {
        i64 r = i / dim, c = i % dim;
        atomicAdd(dTable + (i64)ids[r] * dim + c, dOut[r * ldOut + c]);
    });
}

/** patchify: out [batch * patches, channels * p * p], each row ordered (channel, y, x). */
EXPORT void patchify(const float* images, int batch, int channels, int height, int width, int p, float* out) {
    int pw = width / p, perImage = (height / p) * pw, row = channels * p * p;
    for_each_index((i64)batch * perImage * row, [=](i64 i) {
        i64 patch = i / row;
        int col = (int)(i % row);
        i64 b = patch / perImage;
        int within = (int)(patch % perImage), py = within / pw, px = within % pw;
        int ch = col / (p * p), y = (col / p) % p, x = col % p;
        out[i] = images[((b * channels + ch) * height + (i64)py * p + y) * width + (i64)px * p + x];
    });
}

// ------------------------------------------------------------------------------------------ recurrent cells

/** lstmCell: the gates (input, forget, cell, output) of one step and the state update; acts may be gates. */
EXPORT void lstm_cell(const float* gates, const float* biasIh, const float* biasHh, const float* cPrev,
                      float* h, float* c, float* acts, int batch, int hidden) {
    for_each_index((i64)batch * hidden, [=](i64 s) {
        i64 b = s / hidden;
        int j = (int)(s % hidden);
        i64 g = b * 4 * hidden;
        float i = sigmoidf(gates[g + j] + biasIh[j] + biasHh[j]);
        float f = sigmoidf(gates[g + hidden + j] + biasIh[hidden + j] + biasHh[hidden + j]);
        float gg = tanhf(gates[g + 2 * hidden + j] + biasIh[2 * hidden + j] + biasHh[2 * hidden + j]);
        float o = sigmoidf(gates[g + 3 * hidden + j] + biasIh[3 * hidden + j] + biasHh[3 * hidden + j]);
        float cNew = f * cPrev[s] + i * gg;
        c[s] = cNew;
        h[s] = o * tanhf(cNew);
        acts[g + j] = i;
        acts[g + hidden + j] = f;
        acts[g + 2 * hidden + j] = gg;
        acts[g + 3 * hidden + j] = o;
    });
}

/** lstmCellBackward: writes dGates and overwrites dc with the gradient of cPrev. */
EXPORT void lstm_cell_backward(const float* acts, const float* cPrev, const float* c, const float* dh, float* dc,
                               float* dGates, int batch, int hidden) {
    for_each_index((i64)batch * hidden, [=](i64 s) {
        i64 b = s / hidden;
        int j = (int)(s % hidden);
        i64 g = b * 4 * hidden;
        float i = acts[g + j], f = acts[g + hidden + j], gg = acts[g + 2 * hidden + j], o = acts[g + 3 * hidden + j];
        float tc = tanhf(c[s]);
        float dct = dc[s] + dh[s] * o * (1.0f - tc * tc);
        dGates[g + j] = dct * gg * i * (1.0f - i);
        dGates[g + hidden + j] = dct * cPrev[s] * f * (1.0f - f);
        dGates[g + 2 * hidden + j] = dct * i * (1.0f - gg * gg);
        dGates[g + 3 * hidden + j] = dh[s] * tc * o * (1.0f - o);
        dc[s] = dct * f;
    });
}

// ------------------------------------------------------------------------------------------ additive attention
// attention = attention_scores, softmax over tokens (in place), attention_context.
// attentionBackward = attention_backward_alpha, attention_backward_scores, attention_backward_projection,
// and column_sum for dW.

/** Warp per (b, n): u = tanh(encProj + decProj), e = u.w + b, written where alpha will be. */
EXPORT void attention_scores(const float* encProj, const float* decProj, const float* w, const float* b,
                             float* u, float* e, int batch, int tokens, int att) {
    int row = warp_row();
    if (row >= batch * tokens) return;
    i64 o = (i64)row * att, q = (i64)(row / tokens) * att;
    float acc = 0.0f;
    for (int a = lane_id(); a < att; a += 32) {
        float t = tanhf(encProj[o + a] + decProj[q + a]);
        u[o + a] = t;
        acc += t * w[a];
    }
    acc = warp_sum(acc);
    if (lane_id() == 0) e[row] = acc + b[0];
}

/** ctx[b, d] = sum over n of alpha[b, n] * enc[b, n, d]. */
EXPORT void attention_context(const float* alpha, const float* enc, float* ctx, int batch, int tokens, int dim) {
    for_each_index((i64)batch * dim, [=](i64 i) {
        i64 b = i / dim, d = i % dim;
        float acc = 0.0f;
        for (int n = 0; n < tokens; n++) acc += alpha[b * tokens + n] * enc[(b * tokens + n) * dim + d];
        ctx[i] = acc;
    });
}

/** Warp per (b, n): da = dAlpha + dCtx.enc_n (dAlpha may be null), and dEnc += alpha * dCtx. */
EXPORT void attention_backward_alpha(const float* alpha, const float* enc, const float* dCtx, const float* dAlpha,
                                     float* da, float* dEnc, int batch, int tokens, int dim) {
    int row = warp_row();
    if (row >= batch * tokens) return;
    i64 o = (i64)row * dim, q = (i64)(row / tokens) * dim;
    float al = alpha[row], acc = 0.0f;
    for (int d = lane_id(); d < dim; d += 32) {
        float g = dCtx[q + d];
        acc += g * enc[o + d];
        dEnc[o + d] += al * g;
    }
    acc = warp_sum(acc);
    if (lane_id() == 0) da[row] = acc + (dAlpha == nullptr ? 0.0f : dAlpha[row]);
}

/**
 * One block, a warp per image in turn: the softmax backward over tokens, de = alpha * (da - alpha.da),
 * written over da; dB accumulates the sum of every de (in a fixed order).
 */
EXPORT void attention_backward_scores(const float* alpha, float* de, float* dB, int batch, int tokens) {
    __shared__ float warps[32];
    int warp = threadIdx.x >> 5, nWarps = blockDim.x >> 5;
    float total = 0.0f;
    for (int b = warp; b < batch; b += nWarps) {
        i64 o = (i64)b * tokens;
        float dot = 0.0f;
        for (int n = lane_id(); n < tokens; n += 32) dot += alpha[o + n] * de[o + n];
        dot = warp_sum(dot);
        for (int n = lane_id(); n < tokens; n += 32) {
            float v = alpha[o + n] * (de[o + n] - dot);
            de[o + n] = v;
            total += v;
        }
    }
    total = warp_sum(total);
    if (lane_id() == 0) warps[warp] = total;
    __syncthreads();
    if (threadIdx.x == 0) {
        float t = 0.0f;
        for (int k = 0; k < nWarps; k++) t += warps[k];
        dB[0] += t;
    }
}

/** Thread per (b, a): dPre = de * w * (1 - u^2); dEncProj += dPre; dDecProj = sum over n of dPre. */
EXPORT void attention_backward_projection(const float* u, const float* w, const float* de, float* dEncProj,
                                          float* dDecProj, int batch, int tokens, int att) {
    for_each_index((i64)batch * att, [=](i64 i) {
        i64 b = i / att, a = i % att;
        float acc = 0.0f;
        for (int n = 0; n < tokens; n++) {
            i64 row = b * tokens + n, at = row * att + a;
            float t = u[at];
            float dPre = de[row] * w[a] * (1.0f - t * t);
            dEncProj[at] += dPre;
            acc += dPre;
        }
        dDecProj[i] = acc;
    });
}

// ------------------------------------------------------------------------------------------ optimiser

/** adamw as torch.optim.AdamW, in double; bc1 and bc2 are 1 - beta^step, from the caller. */
EXPORT void adamw(float* param, const float* grad, float* m, float* v, i64 n, float lr, float beta1, float beta2,
                  float eps, float weightDecay, double bc1, double bc2, float gradScale) {
    double sqrtBc2 = sqrt(bc2);
    for_each_index(n, [=](i64 i) {
        double g = (double)grad[i] * gradScale;
        double mk = beta1 * (double)m[i] + (1.0f - beta1) * g; // 1 - beta in float, as the reference
        double vk = beta2 * (double)v[i] + (1.0f - beta2) * g * g;
        m[i] = (float)mk;
        v[i] = (float)vk;
        double p = param[i] * (1.0 - (double)lr * weightDecay);
        param[i] = (float)(p - lr / bc1 * mk / (sqrt(vk) / sqrtBc2 + eps));
    });
}
