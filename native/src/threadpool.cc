// The process-wide thread pool behind parallelFor (see threadpool.h for the contract).
//
// One job at a time. The job is published in a single 64-bit word, the ticket:
// generation (32 bits) | chunk count (16 bits) | next unclaimed chunk (16 bits). Threads claim
// chunks with a compare-and-swap on the ticket, so a worker that wakes late, after its job is
// over, sees another generation or no chunk left and claims nothing; the job's other fields
// (fn, ctx, n) are only read after a successful claim, and the caller rewrites them only once
// every claimed chunk has reported done.
#include "threadpool.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace hebb {
namespace {

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

inline uint32_t genOf(uint64_t t) { return static_cast<uint32_t>(t >> 32); }
inline uint32_t chunksOf(uint64_t t) { return static_cast<uint32_t>(t >> 16) & 0xffffu; }
inline uint32_t nextOf(uint64_t t) { return static_cast<uint32_t>(t) & 0xffffu; }

int envInt(const char* name, int fallback, int lo, int hi) {
  const char* s = std::getenv(name);
  if (s == nullptr || *s == '\0') return fallback;
  char* end = nullptr;
  long v = std::strtol(s, &end, 10);
  if (end == s || *end != '\0' || v < lo || v > hi) return fallback;  // ignored: documented
  return static_cast<int>(v);
}

int defaultThreads() {
  int cpus = 1;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    cpus = CPU_COUNT(&set);
  } else {
    cpus = static_cast<int>(std::thread::hardware_concurrency());
  }
  if (cpus < 1) cpus = 1;
  return envInt("HEBB_NATIVE_THREADS", std::min(cpus, 256), 1, 256);
}

class Pool {
 public:
  Pool() : threads_(defaultThreads()), spinUs_(envInt("HEBB_NATIVE_SPIN_US", 300, 0, 1000000)) {}

  int threads() const { return threads_; }

  void resize(int n) {
    std::lock_guard<std::mutex> use(use_);
    stopWorkers();
    threads_ = std::max(1, std::min(n, 256));
  }

  int64_t chunks(int64_t n, int64_t grain, int perThread) const {
    if (grain < 1) grain = 1;
    if (n <= grain || threads_ <= 1) return 1;
    const int64_t cap = static_cast<int64_t>(threads_) * std::max(1, std::min(perThread, 64));
    return std::min<int64_t>(n / grain, std::min<int64_t>(cap, 0xffff));
  }

  void run(int64_t n, int64_t grain, RangeFn fn, void* ctx, int perThread) {
    if (n <= 0) return;
    int64_t nc = chunks(n, grain, perThread);
    if (nc <= 1) {
      fn(ctx, 0, n);
      return;
    }
    std::unique_lock<std::mutex> use(use_, std::defer_lock);
    if (inJob_ || !use.try_lock()) {
      // Nested, or another thread's job is running (do not wait for it): the same chunks, in
      // order, on this thread, so a per-chunk partial result is the same as in parallel.
      for (int64_t c = 0; c < nc; c++) fn(ctx, chunkBegin(n, nc, c), chunkBegin(n, nc, c + 1));
      return;
    }
    startWorkers();
    fn_ = fn;
    ctx_ = ctx;
    n_ = n;
    done_.store(0, std::memory_order_relaxed);
    uint64_t gen = genOf(ticket_.load(std::memory_order_relaxed)) + 1u;
    uint64_t t = (gen << 32) | (static_cast<uint64_t>(nc) << 16);
    ticket_.store(t, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lk(sleep_);
      cv_.notify_all();
    }
    inJob_ = true;
    work(static_cast<uint32_t>(gen));
    // Wait for chunks claimed by workers: spin, then yield the core (the machine may be
    // shared; a descheduled worker needs it back to finish).
    int spins = 0;
    while (done_.load(std::memory_order_acquire) < nc) {
      if (++spins < 4000) {
        cpuRelax();
      } else {
        std::this_thread::yield();
      }
    }
    inJob_ = false;
  }

 private:
  // Claims and runs chunks of generation gen until none is left.
  void work(uint32_t gen) {
    for (;;) {
      uint64_t t = ticket_.load(std::memory_order_acquire);
      for (;;) {
        if (genOf(t) != gen || nextOf(t) >= chunksOf(t)) return;
        if (ticket_.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel, std::memory_order_acquire)) break;
      }
      int64_t nc = chunksOf(t), c = nextOf(t);
      fn_(ctx_, chunkBegin(n_, nc, c), chunkBegin(n_, nc, c + 1));
      done_.fetch_add(1, std::memory_order_release);
    }
  }

  void workerMain() {
    inJob_ = true;  // a parallelFor from inside a chunk runs serially
    uint32_t seen = genOf(ticket_.load(std::memory_order_acquire));
    for (;;) {
      auto ready = [&] { return stop_.load(std::memory_order_acquire) || genOf(ticket_.load(std::memory_order_acquire)) != seen; };
      if (!ready() && spinUs_ > 0) {
        auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(spinUs_);
        for (int i = 1; !ready(); i++) {
          cpuRelax();
          if ((i & 63) == 0 && std::chrono::steady_clock::now() > until) break;
        }
      }
      if (!ready()) {
        std::unique_lock<std::mutex> lk(sleep_);
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        cv_.wait(lk, ready);
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
      }
      if (stop_.load(std::memory_order_acquire)) return;
      seen = genOf(ticket_.load(std::memory_order_acquire));
      work(seen);
    }
  }

  void startWorkers() {
    if (static_cast<int>(workers_.size()) == threads_ - 1) return;
    stop_.store(false);
    for (int i = static_cast<int>(workers_.size()); i < threads_ - 1; i++) {
      workers_.emplace_back([this] { workerMain(); });
    }
  }

  void stopWorkers() {
    {
      std::lock_guard<std::mutex> lk(sleep_);
      stop_.store(true, std::memory_order_seq_cst);
      cv_.notify_all();
    }
    for (auto& w : workers_) w.join();
    workers_.clear();
    stop_.store(false);
  }

  int threads_;
  int spinUs_;
  std::mutex use_;
  std::atomic<uint64_t> ticket_{0};
  std::atomic<int64_t> done_{0};
  RangeFn fn_ = nullptr;
  void* ctx_ = nullptr;
  int64_t n_ = 0;
  std::mutex sleep_;
  std::condition_variable cv_;
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> workers_;
  static thread_local bool inJob_;
};

thread_local bool Pool::inJob_ = false;

// Never destroyed: worker threads end with the process, so exit never waits on a join.
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

}  // namespace

int poolThreads() { return pool().threads(); }
void setPoolThreads(int n) { pool().resize(n); }
int64_t parallelChunks(int64_t n, int64_t grain, int perThread) { return pool().chunks(n, grain, perThread); }
void parallelForRaw(int64_t n, int64_t grain, RangeFn fn, void* ctx, int perThread) {
  pool().run(n, grain, fn, ctx, perThread);
}

}  // namespace hebb
