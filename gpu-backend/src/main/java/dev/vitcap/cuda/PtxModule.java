package dev.vitcap.cuda;

import dev.vitcap.kernel.BackendException;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.bytedeco.cuda.global.cudart.CU_JIT_ERROR_LOG_BUFFER;
import static org.bytedeco.cuda.global.cudart.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES;
import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadDataEx;
import static org.bytedeco.cuda.global.cudart.cuModuleUnload;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

/**
 * The kernels of {@code vitcap_kernels.cu}, loaded from the PTX resource through the driver API (the
 * driver compiles the PTX for the GPU at hand) and launched on one stream. Arguments go through one
 * native buffer of 8-byte slots that is reused by every launch: {@code cuLaunchKernel} copies them.
 */
final class PtxModule implements AutoCloseable {
    /** The kernels, named as in the .cu file (the constant's name in lower case). */
    enum Fn {
        FILL, COPY2D, GATHER_ROWS, ADD_BIAS, COLUMN_SUM, MEAN_TOKENS, MEAN_TOKENS_BACKWARD, SUM_PARTIALS, SUM_FINISH,
        ADD, MUL, AXPBY, SCALE_ROWS, TANH_FORWARD, TANH_BACKWARD, SIGMOID_FORWARD, SIGMOID_BACKWARD, RELU_FORWARD,
        RELU_BACKWARD, GELU_FORWARD, GELU_BACKWARD, DROPOUT, LAYER_NORM, LAYER_NORM_BACKWARD_INPUT,
        LAYER_NORM_BACKWARD_PARAMS, SOFTMAX, SOFTMAX_BACKWARD, LOG_SOFTMAX, ARGMAX_ROWS, TOP_K, CROSS_ENTROPY, EMBEDDING,
        EMBEDDING_BACKWARD, PATCHIFY, LSTM_CELL, LSTM_CELL_BACKWARD, ATTENTION_SCORES, ATTENTION_CONTEXT,
        ATTENTION_BACKWARD_ALPHA, ATTENTION_BACKWARD_SCORES, ATTENTION_BACKWARD_PROJECTION, ADAMW;

        String entry() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Threads per block of element-wise and row launches; a row launch gives each row one warp. */
    static final int BLOCK = 256, ROWS_PER_BLOCK = BLOCK / 32;
    /** A column launch: 32 columns per block, {@code COLUMN_LANES} threads down each (as in the .cu file). */
    static final int COLUMN_LANES = 16;
    /** Element-wise grids are capped; the kernels' grid-stride loops cover the rest. */
    static final int MAX_BLOCKS = 8192;
    /** The fixed grid of the two-pass sum (its partials buffer has this many doubles). */
    static final int SUM_BLOCKS = 256;
    private static final int SLOTS = 24;

    private final CUmod_st module = new CUmod_st();
    private final CUfunc_st[] functions = new CUfunc_st[Fn.values().length];
    private final CUstream_st stream;
    private final boolean syncEachLaunch;
    private final BytePointer values = new BytePointer(SLOTS * 8L);
    private final PointerPointer<Pointer> params = new PointerPointer<>(SLOTS);
    private Fn fn;
    private int next;

    PtxModule(CUstream_st stream, boolean syncEachLaunch) {
        this.stream = stream;
        this.syncEachLaunch = syncEachLaunch;
        LongPointer slots = new LongPointer(params);
        for (int i = 0; i < SLOTS; i++) slots.put(i, values.address() + 8L * i);
        load(ptx());
        for (Fn f : Fn.values()) {
            functions[f.ordinal()] = new CUfunc_st();
            Cuda.checkDriver(cuModuleGetFunction(functions[f.ordinal()], module, f.entry()),
                    "cuModuleGetFunction(" + f.entry() + ") (is the PTX resource older than the Java code?)");
        }
    }

    /** The PTX text, whose first line records the SHA-256 of the .cu source it was compiled from. */
    static String ptx() {
        try (InputStream in = PtxModule.class.getResourceAsStream(CudaSystem.PTX)) {
            if (in == null) throw new BackendException("missing resource " + CudaSystem.PTX);
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load(String ptx) {
        int logBytes = 16 * 1024;
        BytePointer log = new BytePointer(logBytes);
        log.put(0, (byte) 0);
        // The option values are an array of two pointer-sized slots (the log's address, then its size,
        // which the driver overwrites with the bytes written). It must go through the PointerPointer
        // binding: the plain Pointer binding of a void** passes the address of one stack slot, and the
        // driver's write into the second slot then corrupts the JNI glue's stack (seen on an H100).
        PointerPointer<Pointer> optionValues = new PointerPointer<>(new LongPointer(log.address(), logBytes));
        BytePointer image = new BytePointer(ptx, StandardCharsets.US_ASCII);
        int result = cuModuleLoadDataEx(module, image, 2,
                new IntPointer(CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES), optionValues);
        if (result != 0) {
            throw new BackendException("the driver could not compile the kernels' PTX: " + Cuda.driverError(result)
                    + (log.getString().isEmpty() ? "" : "\n" + log.getString()));
        }
    }

    // ------------------------------------------------------------------ one launch: start, arguments, shape

    PtxModule start(Fn f) {
        fn = f;
        next = 0;
        return this;
    }

    PtxModule ptr(DeviceTensor t) {
        return i64(t == null ? 0 : t.address());
    }

    PtxModule i64(long v) {
        values.putLong(8L * next++, v);
        return this;
    }

    PtxModule i32(int v) {
        values.putInt(8L * next++, v);
        return this;
    }

    PtxModule f32(float v) {
        values.putFloat(8L * next++, v);
        return this;
    }

    PtxModule f64(double v) {
        values.putDouble(8L * next++, v);
        return this;
    }

    /** A grid-stride launch over {@code n} elements. */
    void overElements(long n) {
        if (n > 0) go((int) Math.min((n + BLOCK - 1) / BLOCK, MAX_BLOCKS), 1, BLOCK, 1);
    }

    /** One warp per row. */
    void overRows(long rows) {
        if (rows > 0) go(Math.toIntExact((rows + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK), 1, BLOCK, 1);
    }

    /** One block per 32 columns, {@link #COLUMN_LANES} threads down each column. */
    void overColumns(int cols) {
        if (cols > 0) go((cols + 31) / 32, 1, 32, COLUMN_LANES);
    }

    /** The top-k kernel's threads per row (as in the .cu file, whose TOPK_MAX is Kernels.TOP_K_MAX). */
    static final int TOPK_THREADS = 128;

    /** One block of {@link #TOPK_THREADS} per row. */
    void overRowBlocks(int rows) {
        if (rows > 0) go(rows, 1, TOPK_THREADS, 1);
    }

    /** One block of {@link #BLOCK} threads, or {@code blocks} of them. */
    void blocks(int blocks) {
        go(blocks, 1, BLOCK, 1);
    }

    private void go(int gridX, int gridY, int blockX, int blockY) {
        Cuda.checkDriver(cuLaunchKernel(functions[fn.ordinal()], gridX, gridY, 1, blockX, blockY, 1, 0, stream, params, null),
                "cuLaunchKernel(" + fn.entry() + ")");
        if (syncEachLaunch) Cuda.check(cudaStreamSynchronize(stream), "kernel " + fn.entry());
    }

    @Override
    public void close() {
        if (!module.isNull()) cuModuleUnload(module);
    }
}
