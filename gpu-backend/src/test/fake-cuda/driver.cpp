// A fake libcuda.so.1: the driver API calls the backend makes, over host memory, with the kernels of
// vitcap_kernels.cu compiled for the host and run in emulation by cuLaunchKernel.
#include "emulation.h"
#include "../../main/cuda/vitcap_kernels.cu"
#include <cstdio>
#include <utility>

struct Kernel { const char* name; std::function<void(dim3, dim3, void**)> run; };

template <class... A, size_t... I> void unpack(void (*k)(A...), dim3 grid, dim3 block, void** params, std::index_sequence<I...>) {
    emulate(grid, block, k, *static_cast<A*>(params[I])...);
}

template <class... A> Kernel kernel(const char* name, void (*k)(A...)) {
    return {name, [k](dim3 g, dim3 b, void** p) { unpack(k, g, b, p, std::index_sequence_for<A...>{}); }};
}

static Kernel kernels[] = {
#include "kernels.inc" // kernel("fill", fill), ... : every EXPORT of the .cu file, made by fake-cuda.sh
};

extern "C" {
static int context = 1;
int cuInit(unsigned) { return 0; }
int cuDriverGetVersion(int* v) { *v = 13000; return 0; }
int cuDeviceGet(int* d, int ordinal) { *d = ordinal; return 0; }
int cuDeviceGetName(char* name, int len, int) { snprintf(name, len, "fake GPU (CPU emulation)"); return 0; }
int cuDeviceTotalMem_v2(size_t* bytes, int) { *bytes = 8ull << 30; return 0; }
int cuCtxGetCurrent(void** c) { *c = &context; return 0; }
int cuCtxSetCurrent(void*) { return 0; }
int cuModuleLoadDataEx(void** m, const void* image, unsigned, int*, void**) { *m = &context; return strstr((const char*)image, ".entry") ? 0 : 218; }
int cuModuleUnload(void*) { return 0; }
int cuModuleGetFunction(void** f, void*, const char* name) {
    for (auto& k : kernels) {
        if (!strcmp(k.name, name)) { *f = &k; return 0; }
    }
    return 500; // CUDA_ERROR_NOT_FOUND
}
int cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned, void*, void** params, void**) {
    if (gx == 0 || gy == 0 || gz != 1 || bz != 1 || bx * by > 1024 || (bx * by) % 32 != 0) return 1; // CUDA_ERROR_INVALID_VALUE
    static_cast<Kernel*>(f)->run({gx, gy, 1}, {bx, by, 1}, params);
    return 0;
}
int cuGetErrorName(int e, const char** s) { *s = e ? "CUDA_ERROR_FAKE" : "CUDA_SUCCESS"; return 0; }
int cuGetErrorString(int, const char** s) { *s = "fake driver"; return 0; }
}
