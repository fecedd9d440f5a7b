// A fake cuDNN 9 over host memory: the RNN v8 calls for a unidirectional LSTM with two biases, in plain
// loops. It checks the arguments the backend must get right and lays each layer's weights out as 8
// matrices then 8 biases (linear layers 0-3 input, 4-7 recurrent; gates i, f, g, o), each matrix a
// row-major [hidden, in] block. Built three times (-DGRAPH, -DOPS, -DADV): each call lives in the library
// the JNI glue links it from.
#include <cmath>
#include <cstring>
#include <vector>

struct Tensor { int n, dims[8], strides[8]; };
struct Rnn { int input, hidden, layers; };
struct Data { int steps, batch, vec; };
struct Dropout { float p; };

extern "C" {
#ifdef GRAPH
size_t cudnnGetVersion() { return 91900; }
int cudnnCreate(void** h) { static int handle; *h = &handle; return 0; }
int cudnnDestroy(void*) { return 0; }
int cudnnSetStream(void*, void*) { return 0; }
const char* cudnnGetErrorString(int s) { return s ? "CUDNN_STATUS_FAKE_ERROR" : "CUDNN_STATUS_SUCCESS"; }
#endif

#ifdef OPS
int cudnnCreateTensorDescriptor(Tensor** t) { *t = new Tensor(); return 0; }
int cudnnDestroyTensorDescriptor(Tensor* t) { delete t; return 0; }
int cudnnSetTensorNdDescriptor(Tensor* t, int type, int n, const int* dims, const int* strides) {
    if (type != 0 || n < 3 || n > 8) return 3; // CUDNN_STATUS_BAD_PARAM
    t->n = n;
    for (int i = 0; i < n; i++) { t->dims[i] = dims[i]; t->strides[i] = strides[i]; }
    return 0;
}
int cudnnGetTensorNdDescriptor(const Tensor* t, int requested, int* type, int* n, int* dims, int* strides) {
    *type = 0;
    *n = t->n;
    for (int i = 0; i < t->n && i < requested; i++) { dims[i] = t->dims[i]; strides[i] = t->strides[i]; }
    return 0;
}
int cudnnCreateDropoutDescriptor(Dropout** d) { *d = new Dropout(); return 0; }
int cudnnDestroyDropoutDescriptor(Dropout* d) { delete d; return 0; }
int cudnnSetDropoutDescriptor(Dropout* d, void*, float p, void* states, size_t bytes, unsigned long long) {
    if (p != 0 && (states == nullptr || bytes == 0)) return 3;
    d->p = p;
    return 0;
}
#endif

#ifdef ADV
int cudnnCreateRNNDescriptor(Rnn** r) { *r = new Rnn(); return 0; }
int cudnnDestroyRNNDescriptor(Rnn* r) { delete r; return 0; }
int cudnnSetRNNDescriptor_v8(Rnn* r, int algo, int cell, int bias, int dir, int inputMode, int type, int mathPrec, int mathType,
                             int input, int hidden, int proj, int layers, Dropout* dropout, unsigned aux) {
    // standard algorithm, CUDNN_LSTM, double bias, unidirectional, linear input, float, FMA or default math
    if (algo != 0 || cell != 2 || bias != 2 || dir != 0 || inputMode != 0 || type != 0 || mathPrec != 0 || proj != hidden
        || dropout == nullptr || aux != 0 || (mathType != 0 && mathType != 3)) return 3;
    *r = {input, hidden, layers};
    return 0;
}
int cudnnCreateRNNDataDescriptor(Data** d) { *d = new Data(); return 0; }
int cudnnDestroyRNNDataDescriptor(Data* d) { delete d; return 0; }
int cudnnSetRNNDataDescriptor(Data* d, int type, int layout, int steps, int batch, int vec, const int* lengths, void*) {
    if (type != 0 || layout != 1) return 3; // float, CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_PACKED
    for (int b = 0; b < batch; b++) if (lengths[b] != steps) return 9; // full-length sequences only, as the backend sends
    *d = {steps, batch, vec};
    return 0;
}

static long inputOf(const Rnn* r, int l) { return l == 0 ? r->input : r->hidden; }
static long layerStart(const Rnn* r, int l) {
    long o = 0, h = r->hidden;
    for (int k = 0; k < l; k++) o += 4 * h * inputOf(r, k) + 4 * h * h + 8 * h;
    return o;
}
static long matrixAt(const Rnn* r, int l, int lin) {
    long h = r->hidden, in = inputOf(r, l);
    return layerStart(r, l) + (lin < 4 ? lin * h * in : 4 * h * in + (lin - 4) * h * h);
}
static long biasAt(const Rnn* r, int l, int lin) { long h = r->hidden; return layerStart(r, l) + 4 * h * inputOf(r, l) + 4 * h * h + lin * h; }
static size_t weightBytes(const Rnn* r) { return layerStart(r, r->layers) * 4; }

int cudnnGetRNNWeightSpaceSize(void*, const Rnn* r, size_t* bytes) { *bytes = weightBytes(r); return 0; }
int cudnnGetRNNWeightParams(void*, const Rnn* r, int l, size_t bytes, const void* w, int lin, Tensor* m, void** mAddr, Tensor* b, void** bAddr) {
    if (l < 0 || l >= r->layers || lin < 0 || lin > 7 || bytes != weightBytes(r)) return 3;
    int cols = lin < 4 ? inputOf(r, l) : r->hidden;
    *m = {3, {1, r->hidden, cols}, {r->hidden * cols, cols, 1}};
    *b = {3, {1, r->hidden, 1}, {r->hidden, 1, 1}};
    *mAddr = (float*)w + matrixAt(r, l, lin);
    *bAddr = (float*)w + biasAt(r, l, lin);
    return 0;
}

/** The reserve space of one layer: gate activations [T,B,4H], c [T,B,H], h [T,B,H], gate gradients [T,B,4H]. */
struct Reserve {
    const Rnn* r; const Data* data; float* base; int l;
    long rows() const { return (long)data->steps * data->batch; }
    long h() const { return r->hidden; }
    float* acts() const { return base + l * rows() * 10 * h(); }
    float* c() const { return acts() + rows() * 4 * h(); }
    float* hs() const { return c() + rows() * h(); }
    float* dGates() const { return hs() + rows() * h(); }
    /** The layer's input: x for the first layer, else the outputs of the layer below. */
    const float* input(const float* x) const { return l == 0 ? x : Reserve{r, data, base, l - 1}.hs(); }
    /** h at step t - 1 of image b: the initial state at t = 0 (null for zeros). */
    const float* hPrev(const float* hx, long t, long b) const {
        long batch = data->batch;
        return t > 0 ? hs() + ((t - 1) * batch + b) * h() : hx ? hx + ((long)l * batch + b) * h() : nullptr;
    }
};
static size_t reserveBytes(const Rnn* r, const Data* x) { return (size_t)r->layers * x->steps * x->batch * 10 * r->hidden * 4; }
int cudnnGetRNNTempSpaceSizes(void*, const Rnn* r, int mode, const Data* x, size_t* work, size_t* reserve) {
    *work = 4096;
    *reserve = mode == 1 ? reserveBytes(r, x) : 0;
    return 0;
}

static double sigmoid(double v) { return 1 / (1 + std::exp(-v)); }

int cudnnRNNForward(void*, const Rnn* r, int mode, const int* devLengths, const Data* xd, const float* x, const Data* yd, float* y,
                    const Tensor* hd, const float* hx, float* hy, const Tensor*, const float* cx, float* cy, size_t wBytes, const float* w,
                    size_t workBytes, void* work, size_t resBytes, float* res) {
    long T = xd->steps, B = xd->batch, H = r->hidden;
    if (mode != 1 || devLengths == nullptr || xd->vec != r->input || yd->vec != H || hd->dims[0] != r->layers || hd->dims[1] != B
        || hd->dims[2] != H || wBytes < weightBytes(r) || resBytes < reserveBytes(r, xd) || work == nullptr || workBytes < 4096) return 3;
    for (int l = 0; l < r->layers; l++) {
        Reserve v{r, xd, res, l};
        long in = inputOf(r, l);
        const float* input = v.input(x);
        for (long t = 0; t < T; t++) {
            for (long b = 0; b < B; b++) {
                const float* hPrev = v.hPrev(hx, t, b);
                for (long j = 0; j < H; j++) {
                    double pre[4];
                    for (int g = 0; g < 4; g++) {
                        double a = w[biasAt(r, l, g) + j] + w[biasAt(r, l, g + 4) + j];
                        for (long k = 0; k < in; k++) a += (double)w[matrixAt(r, l, g) + j * in + k] * input[(t * B + b) * in + k];
                        if (hPrev) for (long k = 0; k < H; k++) a += (double)w[matrixAt(r, l, g + 4) + j * H + k] * hPrev[k];
                        pre[g] = a;
                    }
                    double i = sigmoid(pre[0]), f = sigmoid(pre[1]), g = std::tanh(pre[2]), o = sigmoid(pre[3]);
                    double cPrev = t > 0 ? v.c()[((t - 1) * B + b) * H + j] : cx ? cx[((long)l * B + b) * H + j] : 0;
                    double c = f * cPrev + i * g;
                    float* a = v.acts() + (t * B + b) * 4 * H;
                    a[j] = i; a[H + j] = f; a[2 * H + j] = g; a[3 * H + j] = o;
                    v.c()[(t * B + b) * H + j] = c;
                    v.hs()[(t * B + b) * H + j] = o * std::tanh(c);
                }
            }
        }
        for (long s = 0; s < B * H; s++) {
            if (hy) hy[(long)l * B * H + s] = v.hs()[(T - 1) * B * H + s];
            if (cy) cy[(long)l * B * H + s] = v.c()[(T - 1) * B * H + s];
        }
    }
    std::memcpy(y, Reserve{r, xd, res, r->layers - 1}.hs(), T * B * H * 4);
    return 0;
}

int cudnnRNNBackwardData_v8(void*, const Rnn* r, const int* devLengths, const Data*, const float* y, const float* dy, const Data* xd, float* dx,
                            const Tensor*, const float*, const float* dhy, float* dhx, const Tensor*, const float* cx, const float* dcy,
                            float* dcx, size_t, const float* w, size_t, void*, size_t, float* res) {
    long T = xd->steps, B = xd->batch, H = r->hidden;
    if (devLengths == nullptr || y == nullptr || dy == nullptr || dx == nullptr || dhx == nullptr || dcx == nullptr) return 3;
    std::vector<double> dOut(dy, dy + T * B * H);
    for (int l = r->layers - 1; l >= 0; l--) {
        Reserve v{r, xd, res, l};
        long in = inputOf(r, l);
        std::vector<double> dh(B * H), dc(B * H), dIn(T * B * in);
        for (long s = 0; s < B * H; s++) {
            dh[s] = dhy ? dhy[(long)l * B * H + s] : 0;
            dc[s] = dcy ? dcy[(long)l * B * H + s] : 0;
        }
        for (long t = T - 1; t >= 0; t--) {
            std::vector<double> dhPrev(B * H, 0.0);
            for (long b = 0; b < B; b++) {
                for (long j = 0; j < H; j++) {
                    long s = b * H + j, row = t * B + b;
                    const float* a = v.acts() + row * 4 * H;
                    double i = a[j], f = a[H + j], g = a[2 * H + j], o = a[3 * H + j], tc = std::tanh((double)v.c()[row * H + j]);
                    double cPrev = t > 0 ? v.c()[(row - B) * H + j] : cx ? cx[(long)l * B * H + s] : 0;
                    double dht = dOut[row * H + j] + dh[s], dct = dc[s] + dht * o * (1 - tc * tc);
                    float* dg = v.dGates() + row * 4 * H;
                    dg[j] = dct * g * i * (1 - i);
                    dg[H + j] = dct * cPrev * f * (1 - f);
                    dg[2 * H + j] = dct * i * (1 - g * g);
                    dg[3 * H + j] = dht * tc * o * (1 - o);
                    dc[s] = dct * f;
                }
                for (int gate = 0; gate < 4; gate++) {
                    for (long j = 0; j < H; j++) {
                        double d = v.dGates()[(t * B + b) * 4 * H + gate * H + j];
                        for (long k = 0; k < H; k++) dhPrev[b * H + k] += d * w[matrixAt(r, l, gate + 4) + j * H + k];
                        for (long k = 0; k < in; k++) dIn[(t * B + b) * in + k] += d * w[matrixAt(r, l, gate) + j * in + k];
                    }
                }
            }
            dh = dhPrev;
        }
        for (long s = 0; s < B * H; s++) {
            dhx[(long)l * B * H + s] = dh[s];
            dcx[(long)l * B * H + s] = dc[s];
        }
        if (l == 0) for (long k = 0; k < T * B * in; k++) dx[k] = dIn[k];
        dOut = dIn;
    }
    return 0;
}

int cudnnRNNBackwardWeights_v8(void*, const Rnn* r, int addGrad, const int* devLengths, const Data* xd, const float* x, const Tensor*,
                               const float* hx, const Data*, const float*, size_t, float* dw, size_t, void*, size_t, float* res) {
    long T = xd->steps, B = xd->batch, H = r->hidden;
    if (addGrad != 0 || devLengths == nullptr) return 3; // CUDNN_WGRAD_MODE_ADD only
    for (int l = 0; l < r->layers; l++) {
        Reserve v{r, xd, res, l};
        long in = inputOf(r, l);
        const float* input = v.input(x);
        for (long t = 0; t < T; t++) {
            for (long b = 0; b < B; b++) {
                const float* hPrev = v.hPrev(hx, t, b);
                for (int gate = 0; gate < 4; gate++) {
                    for (long j = 0; j < H; j++) {
                        double d = v.dGates()[(t * B + b) * 4 * H + gate * H + j];
                        dw[biasAt(r, l, gate) + j] += d;
                        dw[biasAt(r, l, gate + 4) + j] += d;
                        for (long k = 0; k < in; k++) dw[matrixAt(r, l, gate) + j * in + k] += d * input[(t * B + b) * in + k];
                        if (hPrev) for (long k = 0; k < H; k++) dw[matrixAt(r, l, gate + 4) + j * H + k] += d * hPrev[k];
                    }
                }
            }
        }
    }
    return 0;
}
#endif
}
