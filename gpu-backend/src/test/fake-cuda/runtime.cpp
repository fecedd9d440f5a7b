// A fake libcudart.so.13: one device of compute capability 9.0 whose memory is host memory.
#include <cstdlib>
#include <cstring>

extern "C" {
static int stream = 1, event = 1;
int cudaRuntimeGetVersion(int* v) { *v = 13000; return 0; }
int cudaGetDeviceCount(int* n) { *n = 1; return 0; }
int cudaDeviceGetAttribute(int* v, int attribute, int) { *v = attribute == 75 ? 9 : 0; return 0; } // 75: major, 76: minor
int cudaSetDevice(int) { return 0; }
int cudaMalloc(void** p, size_t n) { *p = std::malloc(n); return *p ? 0 : 2; }
int cudaFree(void* p) { std::free(p); return 0; }
int cudaMallocHost(void** p, size_t n) { *p = std::malloc(n); return *p ? 0 : 2; }
int cudaFreeHost(void* p) { std::free(p); return 0; }
int cudaMemcpyAsync(void* dst, const void* src, size_t n, int, void*) { std::memcpy(dst, src, n); return 0; }
int cudaStreamCreateWithFlags(void** s, unsigned) { *s = &stream; return 0; }
int cudaStreamSynchronize(void*) { return 0; }
int cudaStreamDestroy(void*) { return 0; }
int cudaEventCreateWithFlags(void** e, unsigned) { *e = &event; return 0; }
int cudaEventRecord(void*, void*) { return 0; }
int cudaEventSynchronize(void*) { return 0; }
int cudaEventDestroy(void*) { return 0; }
int cudaGetLastError() { return 0; }
const char* cudaGetErrorName(int) { return "cudaErrorFake"; }
const char* cudaGetErrorString(int) { return "fake runtime"; }
}
