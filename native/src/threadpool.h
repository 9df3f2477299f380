// The native backend's one process-wide thread pool (native/src/threadpool.cc).
//
// Size: HEBB_NATIVE_THREADS if set (>= 1), else the number of CPUs this process may run on
// (sched_getaffinity), so a container or `taskset` limit is respected and the pool never
// oversubscribes the cores it was given. The calling thread is one of them: a pool of T threads
// starts T - 1 workers, lazily, on the first call that goes parallel.
//
// Workers spin for a short while after a job (HEBB_NATIVE_SPIN_US, default 300 microseconds, so
// back-to-back kernels of one training step or one predict batch do not pay a futex wake-up
// each: at 50 the worker was asleep again by predict's softmax, a few small kernels after the
// last threaded product, and the softmax ran on one thread) and then sleep on
// a condition variable: an idle process uses no CPU.
//
// Determinism: parallelFor splits [0, n) into chunks whose boundaries depend only on n, grain
// and the pool size, never on which thread runs which chunk or when. A kernel whose chunks
// write disjoint outputs, each computed in a fixed order, is therefore bit-reproducible for a
// given thread count. (The GEMM goes further: its result does not depend on the thread count.)
#pragma once
#include <cstdint>
#include <type_traits>

namespace hebb {

// Threads a parallel call may use, the caller included (>= 1).
int poolThreads();

// Changes the pool size for later calls (n >= 1; clamped to 256). Workers are restarted; not
// to be called while another thread is inside parallelFor. Benchmarks and tests use it.
void setPoolThreads(int n);

// The chunking parallelFor uses: how many chunks [0, n) is cut into for this grain and the
// current pool size (1 when the call runs on the caller only), and chunk c's range.
int64_t parallelChunks(int64_t n, int64_t grain, int perThread = 1);
inline int64_t chunkBegin(int64_t n, int64_t chunks, int64_t c) { return n * c / chunks; }

using RangeFn = void (*)(void* ctx, int64_t begin, int64_t end);

// Runs fn(ctx, begin, end) over parallelChunks(n, grain, perThread) contiguous chunks of [0, n),
// with chunk c = [chunkBegin(n, chunks, c), chunkBegin(n, chunks, c + 1)). Each chunk has at
// least `grain` items (grain < 1 counts as 1) unless n itself is smaller; there are at most
// perThread * poolThreads() chunks (perThread >= 1; more chunks than threads lets a thread that
// starts late, or is slowed by another process, take a smaller share: threads claim chunks in
// order as they get to them). Returns when every chunk is done. When called from inside a pool job
// (no nested parallelism) or while another thread is using the pool (e.g. two Node
// worker_threads), the same chunks run one after another on the caller, so per-chunk partial
// results (a reduction's) are the same either way. A call with one chunk costs one direct call.
// fn must not throw.
void parallelForRaw(int64_t n, int64_t grain, RangeFn fn, void* ctx, int perThread = 1);

// The same with any callable f(int64_t begin, int64_t end), e.g. a lambda capturing by reference.
template <typename F>
inline void parallelFor(int64_t n, int64_t grain, F&& f, int perThread = 1) {
  using Fn = typename std::remove_reference<F>::type;
  parallelForRaw(n, grain, [](void* ctx, int64_t b, int64_t e) { (*static_cast<Fn*>(ctx))(b, e); },
                 const_cast<void*>(static_cast<const void*>(&f)), perThread);
}

}  // namespace hebb
