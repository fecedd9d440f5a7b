package dev.vitcap.cuda;

import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.charset.StandardCharsets;

import static org.bytedeco.cuda.global.cudart.cuCtxGetCurrent;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;

/**
 * The cuda backend's start-up, one call at a time, each announced before it runs: on a GPU machine
 * where opening the backend crashes the JVM in native code, the last line printed names the call.
 * Run by the device check before anything else opens the backend.
 */
public final class InitSteps {
    private InitSteps() {
    }

    private static void step(String what, Runnable r) {
        System.out.println("step: " + what + " ...");
        System.out.flush();
        r.run();
        System.out.println("step: " + what + " ok");
        System.out.flush();
    }

    public static void main(String[] args) {
        step("probe", () -> System.out.println(CudaSystem.get().probe()));
        CUctx_st context = new CUctx_st();
        CUstream_st stream = new CUstream_st();
        step("cudaSetDevice(0)", () -> Cuda.check(cudaSetDevice(0), "cudaSetDevice"));
        step("cudaFree(null) (primary context)", () -> Cuda.check(cudaFree(null), "cudaFree"));
        step("cuCtxGetCurrent", () -> Cuda.checkDriver(cuCtxGetCurrent(context), "cuCtxGetCurrent"));
        step("cudaStreamCreateWithFlags", () -> Cuda.check(cudaStreamCreateWithFlags(stream, cudaStreamNonBlocking), "stream"));
        step("cudaMalloc 1 MiB", () -> Cuda.check(cudaMalloc(new Pointer(), 1 << 20), "cudaMalloc"));
        step("pinned host staging", () -> new HostStaging(stream).close());
        if (args.length > 0 && args[0].equals("plain-ptx")) {
            step("PTX module load without JIT options", () -> Cuda.checkDriver(
                    cuModuleLoadData(new CUmod_st(), new BytePointer(PtxModule.ptx(), StandardCharsets.US_ASCII)), "cuModuleLoadData"));
        }
        step("PTX module load and functions", () -> new PtxModule(stream, true).close());
        step("cuBLAS handle", () -> new Blas(stream, Precision.FP32).close());
        step("the whole backend", () -> new CudaKernels().close());
        System.out.println("all start-up steps passed");
    }
}
