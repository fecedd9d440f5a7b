// The CUDA built-ins vitcap_kernels.cu uses, on CPU threads: a block's threads run concurrently on a
// pool of OS threads (so barriers and warp shuffles behave), blocks one after another. For checking
// the kernels' logic and the Java side without a GPU; says nothing about speed or GPU memory ordering.
#pragma once
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <semaphore>
#include <thread>
#include <vector>

struct dim3 { unsigned x = 1, y = 1, z = 1; };
inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static // one block runs at a time

inline std::barrier<>* blockBarrier;
inline void __syncthreads() { blockBarrier->arrive_and_wait(); }

struct Warp { std::unique_ptr<std::barrier<>> bar; unsigned long long lane[32]; };
inline std::vector<Warp>* blockWarps;

template <class T> T __shfl_xor_sync(unsigned, T v, int offset) {
    int tid = threadIdx.x + threadIdx.y * blockDim.x, lane = tid % 32;
    Warp& w = (*blockWarps)[tid / 32];
    std::memcpy(&w.lane[lane], &v, sizeof(T));
    w.bar->arrive_and_wait();
    T other;
    std::memcpy(&other, &w.lane[lane ^ offset], sizeof(T));
    w.bar->arrive_and_wait(); // nobody overwrites a lane before everyone has read
    return other;
}

inline float atomicAdd(float* p, float v) {
    static std::mutex m;
    std::lock_guard<std::mutex> g(m);
    float old = *p;
    *p += v;
    return old;
}

/** Threads made once; a block wakes only as many as it has threads. */
class ThreadPool {
    struct Worker { std::binary_semaphore go{0}; std::thread thread; };
    std::vector<std::unique_ptr<Worker>> workers;
    std::function<void(int)> job;
    std::atomic<int> remaining{0};
    std::binary_semaphore finished{0};

public:
    explicit ThreadPool(int n) {
        for (int i = 0; i < n; i++) {
            workers.push_back(std::make_unique<Worker>());
            Worker* w = workers.back().get();
            w->thread = std::thread([this, w, i] {
                for (;;) {
                    w->go.acquire();
                    job(i);
                    if (--remaining == 0) finished.release();
                }
            });
            w->thread.detach();
        }
    }

    void run(int n, std::function<void(int)> f) {
        job = std::move(f);
        remaining = n;
        for (int i = 0; i < n; i++) workers[i]->go.release();
        finished.acquire();
    }
};

template <class Kernel, class... Args> void emulate(dim3 grid, dim3 block, Kernel k, Args... args) {
    static ThreadPool* pool = new ThreadPool(1024);
    blockDim = block;
    gridDim = grid;
    int n = block.x * block.y;
    for (unsigned by = 0; by < grid.y; by++) {
        for (unsigned bx = 0; bx < grid.x; bx++) {
            std::barrier<> bar(n);
            blockBarrier = &bar;
            std::vector<Warp> warps(n / 32);
            for (auto& w : warps) w.bar = std::make_unique<std::barrier<>>(32);
            blockWarps = &warps;
            pool->run(n, [&](int t) {
                threadIdx = {unsigned(t % block.x), unsigned(t / block.x), 0};
                blockIdx = {bx, by, 0};
                k(args...);
            });
        }
    }
}
