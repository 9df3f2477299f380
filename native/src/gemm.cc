// The native backend's matrix products (the entry points of gemm.h).
//
// sgemm is a packed GEMM in the GotoBLAS/BLIS style (docs/NATIVE_GEMM.md has the measurements
// behind the constants):
//   - k is cut into nkb equal blocks of at most kcMax (the same cut for every tile, so each
//     output element's sum runs in one fixed order: block by block, p increasing inside one);
//   - rows are cut into P balanced micro-panels of at most mr rows (m = 300 with mr = 8 runs
//     as 8 and 7 rows, not 37 x 8 + 4), columns into nr-wide panels (the last one masked);
//   - A is read in place by the micro-kernel, as columns when A is column-major (a transposed
//     view, row stride 1) and as rows when it is row-major (packing a row-major A is a transpose
//     that costs more than it saves at these sizes); other layouts, and rows 4 KiB apart, are
//     packed into mr x kc k-major panels. B's panels are packed (kc x nr) unless B is
//     row-major and m is small, where packing would cost about as much as the multiply (the
//     panel is reused only m / mr times);
//   - the micro-kernel (gemm_avx512.cc, gemm_avx2.cc) is picked once from the CPU.
// Threads take disjoint ranges of row panels or of 16-column vectors (whichever duplicates less
// packing and reading), each computing its tiles over the whole k: the result does not depend
// on the thread count.
//
// The portable kernel (plain loops, whatever the compiler vectorizes) is the fallback for CPUs
// without AVX2+FMA, and dgemm's kernel.
#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "gemm_kernels.h"
#include "threadpool.h"

namespace hebb {
namespace {

// ---------------------------------------------------------------------------------------------
// Tuning (defaults measured on the project machine; HEBB_GEMM_* override them for benchmarks).
struct Tuning {
  int64_t kcMax = 0;            // k block; 0: the kernel's own (256 for 8x48: 48 KB L1d)
  int64_t mcMax = 336;          // rows of A packed at once (L2-resident: mc x kc floats)
  int64_t ncMax = 2048;         // columns of B packed at once
  int64_t directBMaxM = 64;     // read row-major B in place when m <= this
  // Below this a call runs on the caller only. 3e7 flops (~0.2 ms of work): waking a pool
  // thread that went to sleep between two products of a training step costs more than the
  // split saves; at 1e6 the book's MLP at batch 32 (products of 1.5-15 Mflop) trained at
  // 1.65 s/epoch on two threads against 1.20 on one, at 3e7 1.35 (2026-12-02, 17:00 UTC).
  double parallelMinFlops = 3e7;
  int split = 0;                // 0: cost model, 1: force row panels, 2: force column panels
  int chunksPerThread = 3;      // column shares per thread (see sgemmOne)
  bool packRowMajorA = false;   // pack a row-major A instead of reading it in place
  bool simdPackB = true;        // the kernel's register-transpose packing (transposed B, row-major A)
};

const char* const kTuningNames[] = {"HEBB_GEMM_KC",    "HEBB_GEMM_MC",     "HEBB_GEMM_NC",
                                    "HEBB_GEMM_DIRECT_B_M", "HEBB_GEMM_PAR_FLOPS", "HEBB_GEMM_PACK_A",
                                    "HEBB_GEMM_CHUNKS", "HEBB_GEMM_SCALAR_PACK_B", "HEBB_GEMM_SPLIT"};

// Sets one knob from its text; false (nothing changed) for an unknown name or a bad value.
bool applyTuning(Tuning& x, const char* name, const char* text) {
  if (std::strcmp(name, "HEBB_GEMM_SPLIT") == 0) {
    if (std::strcmp(text, "m") == 0) x.split = 1;
    else if (std::strcmp(text, "n") == 0) x.split = 2;
    else if (std::strcmp(text, "auto") == 0) x.split = 0;
    else return false;
    return true;
  }
  char* end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || v < 0) return false;
  if (std::strcmp(name, "HEBB_GEMM_DIRECT_B_M") == 0) x.directBMaxM = v;
  else if (std::strcmp(name, "HEBB_GEMM_PACK_A") == 0) x.packRowMajorA = v == 1;
  else if (std::strcmp(name, "HEBB_GEMM_SCALAR_PACK_B") == 0) x.simdPackB = v != 1;
  else if (v < 1) return false;
  else if (std::strcmp(name, "HEBB_GEMM_KC") == 0) x.kcMax = v;
  else if (std::strcmp(name, "HEBB_GEMM_MC") == 0) x.mcMax = v;
  else if (std::strcmp(name, "HEBB_GEMM_NC") == 0) x.ncMax = v;
  else if (std::strcmp(name, "HEBB_GEMM_PAR_FLOPS") == 0) x.parallelMinFlops = static_cast<double>(v);
  else if (std::strcmp(name, "HEBB_GEMM_CHUNKS") == 0) x.chunksPerThread = static_cast<int>(std::min<long long>(v, 64));
  else return false;
  return true;
}

Tuning fromEnvironment() {
  Tuning x;
  for (const char* name : kTuningNames) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') applyTuning(x, name, v);  // a bad value keeps the default
  }
  return x;
}

Tuning& tuning() {
  static Tuning t = fromEnvironment();
  return t;
}

// ---------------------------------------------------------------------------------------------
// Kernel selection.
bool cpuHas(const char* name) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (std::strcmp(name, "avx512") == 0) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("fma");
  }
  if (std::strcmp(name, "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return std::strcmp(name, "portable") == 0;
}

// nullptr: the portable loops.
const SgemmMicroKernel* kernelFor(const char* name, bool* ok) {
  *ok = true;
  if (std::strcmp(name, "auto") == 0) {
    if (cpuHas("avx512")) return &kSgemmAvx512;
    if (cpuHas("avx2")) return &kSgemmAvx2;
    return nullptr;
  }
  if (std::strcmp(name, "avx512") == 0 && cpuHas("avx512")) return &kSgemmAvx512;
  if (std::strcmp(name, "avx512:8x48") == 0 && cpuHas("avx512")) return &kSgemmAvx512;
  if (std::strcmp(name, "avx512:14x32") == 0 && cpuHas("avx512")) return &kSgemmAvx512_14x32;
  if (std::strcmp(name, "avx512:6x64") == 0 && cpuHas("avx512")) return &kSgemmAvx512_6x64;
  if (std::strcmp(name, "avx2") == 0 && cpuHas("avx2")) return &kSgemmAvx2;
  if (std::strcmp(name, "portable") == 0) return nullptr;
  *ok = false;
  return nullptr;
}

// byShape: "auto" chose the kernel, so shapeKernel may swap its tile per product.
struct Selected {
  const SgemmMicroKernel* kernel;
  bool byShape;
};

Selected& selected() {
  static Selected s = [] {
    bool ok = false;
    const char* env = std::getenv("HEBB_NATIVE_GEMM");
    const char* name = env != nullptr && *env != '\0' ? env : "auto";
    const SgemmMicroKernel* k = kernelFor(name, &ok);
    if (!ok) k = kernelFor(name = "auto", &ok);  // unknown or unsupported request: the best available
    return Selected{k, std::strcmp(name, "auto") == 0};
  }();
  return s;
}

// auto's tile for one product. 8x48 by default; 6x64 where 8x48's last column panel would be a
// single 16-float vector (n mod 48 in 1..16: n = 100, 300), that panel is a sizeable share of
// the columns (n < 512), and k fits one block of either tile (k <= 192, or a fixed
// HEBB_GEMM_KC): a one-vector tile does one broadcast of A per fused multiply-add, and 6x64
// splits those columns as 64 + 36. With one k block each element is the same sum in the same
// order (p increasing, one fused multiply-add each) whatever the tile, so the choice never
// changes a bit of the result (test_gemm.cc checks it). Measured
// (docs/NATIVE_GEMM.md, 2026-12-04): (300x32)^T-shaped 300x32x100 180 -> 193 GFLOP/s on one
// thread, 784x32x300 206 -> 212, 32x100x300 169 -> 173, 32x10x100 118 -> 129. For n = 10 and
// 1024 8x48 was faster; for n = 784, and for k of 256 or more, the two were within a few percent
// either way and a change of tile would change how k is blocked (the rounding): those keep 8x48.
const SgemmMicroKernel* shapeKernel(const SgemmMicroKernel* kern, int64_t n, int64_t k) {
  if (!selected().byShape || kern != &kSgemmAvx512) return kern;
  const int64_t r = n % 48;
  const bool oneBlock = k <= kSgemmAvx512_6x64.kc || tuning().kcMax > 0;
  return n >= 64 && n < 512 && r >= 1 && r <= 16 && oneBlock ? &kSgemmAvx512_6x64 : kern;
}

// ---------------------------------------------------------------------------------------------
// Per-thread packing buffers, 64-byte aligned, grown on demand and kept for the next call.
struct Buffer {
  float* p = nullptr;
  size_t cap = 0;
  ~Buffer() { std::free(p); }
  float* get(size_t n) {
    if (n > cap) {
      std::free(p);
      size_t bytes = ((n * sizeof(float) + 63) / 64) * 64;
      p = static_cast<float*>(std::aligned_alloc(64, bytes));
      if (p == nullptr) std::abort();  // out of memory while packing: nothing sane to return
      cap = bytes / sizeof(float);
    }
    return p;
  }
};
thread_local Buffer tlA, tlB;

// A[i0:i0+rows, p0:p0+kc] -> dst[p*rows + i].
void packA(const float* a, int64_t rsa, int64_t csa, int64_t i0, int64_t rows, int64_t p0, int64_t kc, float* dst) {
  if (csa == 1) {
    for (int64_t i = 0; i < rows; i++) {
      const float* src = a + (i0 + i) * rsa + p0;
      for (int64_t p = 0; p < kc; p++) dst[p * rows + i] = src[p];
    }
    return;
  }
  for (int64_t p = 0; p < kc; p++) {
    const float* src = a + i0 * rsa + (p0 + p) * csa;
    for (int64_t i = 0; i < rows; i++) dst[p * rows + i] = src[i * rsa];
  }
}

// B[p0:p0+kc, j0:j0+cols] -> dst[p*nr + j].
void packB(const float* b, int64_t rsb, int64_t csb, int64_t p0, int64_t kc, int64_t j0, int64_t cols, int64_t nr,
           float* dst) {
  if (csb == 1) {
    for (int64_t p = 0; p < kc; p++) std::memcpy(dst + p * nr, b + (p0 + p) * rsb + j0, cols * sizeof(float));
    return;
  }
  for (int64_t j = 0; j < cols; j++) {
    const float* src = b + (j0 + j) * csb + p0 * rsb;
    for (int64_t p = 0; p < kc; p++) dst[p * nr + j] = src[p * rsb];
  }
}

struct Plan {
  const SgemmMicroKernel* kern;
  int64_t m, n, k;
  const float* a;
  int64_t rsa, csa;
  const float* b;
  int64_t rsb, csb;
  float* c;
  bool packA, rowMajorA, packB;  // rowMajorA: A read in place as rows (else as columns)
  int64_t P, nkb;  // row panels, k blocks
  const GemmEpilogue* epi;  // run on each block of C once it is final (nullptr: none)
  int64_t rowStart(int64_t r) const { return m * r / P; }
};

// C's tiles in row panels [r0, r1) x columns [j0, j1), over the whole k. Column panels start at
// j0 and are nr wide (the last one narrower); j0 is a multiple of 16, so a thread's share of a
// split can end inside a panel without changing any element's arithmetic.
void computeTiles(const Plan& pl, int64_t r0, int64_t r1, int64_t j0, int64_t j1) {
  const Tuning& tu = tuning();
  const int64_t nr = pl.kern->nr;
  const int64_t ncCols = std::max<int64_t>(1, tu.ncMax / nr) * nr;
  const int64_t rPerMc = std::max<int64_t>(1, tu.mcMax / pl.kern->mr);
  for (int64_t jc = j0; jc < j1; jc += ncCols) {
    const int64_t jc1 = std::min(j1, jc + ncCols);
    for (int64_t kb = 0; kb < pl.nkb; kb++) {
      const int64_t p0 = pl.k * kb / pl.nkb, kc = pl.k * (kb + 1) / pl.nkb - p0;
      float* bbuf = nullptr;
      if (pl.packB) {
        bbuf = tlB.get(static_cast<size_t>((jc1 - jc + nr - 1) / nr * kc * nr));
        for (int64_t j = jc; j < jc1; j += nr) {
          const int64_t cols = std::min(nr, jc1 - j);
          float* dst = bbuf + (j - jc) * kc;
          if (pl.rsb == 1 && pl.csb != 1 && pl.kern->packBT != nullptr && tu.simdPackB) {
            pl.kern->packBT(pl.b + j * pl.csb + p0, pl.csb, kc, cols, nr, dst);
          } else {
            packB(pl.b, pl.rsb, pl.csb, p0, kc, j, cols, nr, dst);
          }
        }
      }
      for (int64_t rb = r0; rb < r1; rb += rPerMc) {
        const int64_t re = std::min(r1, rb + rPerMc), ib = pl.rowStart(rb);
        float* abuf = nullptr;
        if (pl.packA) {
          abuf = tlA.get(static_cast<size_t>((pl.rowStart(re) - ib) * kc));
          for (int64_t r = rb; r < re; r++) {
            const int64_t i0 = pl.rowStart(r);
            const int64_t rows = pl.rowStart(r + 1) - i0;
            float* dst = abuf + (i0 - ib) * kc;
            if (pl.csa == 1 && pl.kern->packBT != nullptr && tu.simdPackB) {
              pl.kern->packBT(pl.a + i0 * pl.rsa + p0, pl.rsa, kc, rows, rows, dst);  // a transpose
            } else {
              packA(pl.a, pl.rsa, pl.csa, i0, rows, p0, kc, dst);
            }
          }
        }
        for (int64_t j = jc; j < jc1; j += nr) {
          const int64_t cols = std::min(nr, jc1 - j);
          const float* bp = pl.packB ? bbuf + (j - jc) * kc : pl.b + p0 * pl.rsb + j * pl.csb;
          const int64_t bs = pl.packB ? nr : pl.rsb;
          for (int64_t r = rb; r < re; r++) {
            const int64_t i0 = pl.rowStart(r), rows = pl.rowStart(r + 1) - i0;
            const float* ap = pl.packA ? abuf + (i0 - ib) * kc : pl.a + i0 * pl.rsa + p0 * pl.csa;
            const int64_t as = pl.packA ? rows : pl.rowMajorA ? 1 : pl.csa;
            const int64_t ars = pl.rowMajorA ? pl.rsa : 1;
            pl.kern->run(static_cast<int>(rows), static_cast<int>(cols), kc, ap, as, ars, bp, bs,
                         pl.c + i0 * pl.n + j, pl.n, kb > 0 ? 1 : 0);
          }
        }
        // The last k block has made rows [ib, rowStart(re)) x [jc, jc1) final: the epilogue runs
        // on them now, while they are in this thread's cache.
        if (pl.epi != nullptr && kb == pl.nkb - 1) pl.epi->fn(pl.epi->ctx, pl.c, pl.n, ib, pl.rowStart(re), jc, jc1);
      }
    }
  }
}

// One matrix product with a micro-kernel, split over `threads` threads (1: the caller only).
void sgemmOne(const SgemmMicroKernel* kern, int64_t m, int64_t n, int64_t k, const float* a, int64_t rsa,
              int64_t csa, const float* b, int64_t rsb, int64_t csb, float* c, int threads,
              const GemmEpilogue* epi) {
  const Tuning& tu = tuning();
  Plan pl{kern, m, n, k, a, rsa, csa, b, rsb, csb, c, false, false, false, 0, 0, epi};
  // A is read in place when column-major (a transposed view) or row-major, unless its rows are
  // a multiple of 4 KiB apart: then a tile's rows share one L1 set and evict each other.
  pl.rowMajorA = m > 1 && rsa != 1 && csa == 1 && rsa % 1024 != 0 && !tu.packRowMajorA;
  pl.packA = !(rsa == 1 || m == 1 || pl.rowMajorA);
  pl.packB = !((csb == 1 && m <= tu.directBMaxM) || n == 1);
  pl.P = (m + kern->mr - 1) / kern->mr;
  const int64_t kcMax = tu.kcMax > 0 ? tu.kcMax : kern->kc;
  pl.nkb = (k + kcMax - 1) / kcMax;
  if (threads <= 1 || 2.0 * m * n * k < tu.parallelMinFlops || (pl.P < 2 && n <= 16)) {
    computeTiles(pl, 0, pl.P, 0, n);
    return;
  }
  // Split over column panels when that duplicates less work: every thread of a column split
  // reads all of A (and packs it, if A is packed), every thread of a row split all of B.
  bool byColumns;
  if (tu.split != 0) {
    byColumns = tu.split == 2;
  } else {
    // A read in place counts as much as A packed: every thread of a column split streams all of
    // A from memory once per block of rows, where a row split reads each row once in all. At
    // 0.25 (reading taken as a quarter of packing) the predict product 1024x784x300 split by
    // columns at 332-336 GFLOP/s on two threads, by rows at 388-401; the backprop product
    // (784x256)^T-shaped A 376 against 406 (2026-12-03, AMD EPYC, /tmp/pr/gemm3.mjs).
    const double dupA = static_cast<double>(m) * k;
    const double dupB = static_cast<double>(k) * n * (pl.packB ? 1.0 : 0.25);
    byColumns = dupA <= dupB;
  }
  const int64_t vectors = (n + 15) / 16;  // a column split cuts at 16-column boundaries
  if (byColumns ? vectors < 2 : pl.P < 2) byColumns = !byColumns;
  if (byColumns) {
    // Shares of whole 16-column vectors: n = 100 on two threads is 48 + 52 columns, where
    // whole 32-column panels would give 64 + 36.
    // Up to tu.chunksPerThread shares per thread (the same number for every thread, each of at
    // least two vectors): a column share repacks nothing but A, and a thread that starts late,
    // or is slowed down by another process, ends up with fewer shares.
    const int64_t perThread = pl.packA ? 1 : std::max<int64_t>(1, std::min<int64_t>(tu.chunksPerThread, vectors / (2 * threads)));
    parallelFor(
        vectors, 1, [&](int64_t v0, int64_t v1) { computeTiles(pl, 0, pl.P, 16 * v0, std::min(n, 16 * v1)); },
        static_cast<int>(perThread));
  } else {
    parallelFor(pl.P, 1, [&](int64_t r0, int64_t r1) { computeTiles(pl, r0, r1, 0, n); });
  }
}

template <typename T>
void gemmPortableRows(int64_t i0, int64_t i1, int64_t n, int64_t k, const T* ab, int64_t rsa, int64_t csa,
                      const T* bb, int64_t rsb, int64_t csb, T* cb) {
  for (int64_t i = i0; i < i1; i++) {
    T* ci = cb + i * n;
    for (int64_t j = 0; j < n; j++) ci[j] = 0;
    for (int64_t p = 0; p < k; p++) {
      const T av = ab[i * rsa + p * csa];
      const T* bp = bb + p * rsb;
      if (csb == 1) {
        for (int64_t j = 0; j < n; j++) ci[j] += av * bp[j];
      } else {
        for (int64_t j = 0; j < n; j++) ci[j] += av * bp[j * csb];
      }
    }
  }
}

// The portable matrix product: plain loops in i-p-j order (the inner loop runs along a row of B
// and of C, which the compiler vectorizes for whatever the build targets). Rows are independent,
// so a thread split over rows does not change any result.
template <typename T>
void gemmPortable(int64_t batch, int64_t m, int64_t n, int64_t k, const T* a, int64_t bsa, int64_t rsa, int64_t csa,
                  const T* b, int64_t bsb, int64_t rsb, int64_t csb, T* c) {
  const double flops = 2.0 * m * n * k;
  for (int64_t bi = 0; bi < batch; bi++) {
    const T* ab = a + bi * bsa;
    const T* bb = b + bi * bsb;
    T* cb = c + bi * m * n;
    if (flops < tuning().parallelMinFlops * 4) {
      gemmPortableRows(0, m, n, k, ab, rsa, csa, bb, rsb, csb, cb);
    } else {
      parallelFor(m, 1, [&](int64_t i0, int64_t i1) { gemmPortableRows(i0, i1, n, k, ab, rsa, csa, bb, rsb, csb, cb); });
    }
  }
}

}  // namespace

bool gemmCpuSupports(const char* name) { return cpuHas(name); }

bool gemmSetTuning(const char* name, const char* value) {
  if (name == nullptr) {
    tuning() = fromEnvironment();
    return true;
  }
  return applyTuning(tuning(), name, value);
}

bool gemmSelectKernel(const char* name) {
  bool ok = false;
  const SgemmMicroKernel* k = kernelFor(name, &ok);
  if (ok) selected() = Selected{k, std::strcmp(name, "auto") == 0};
  return ok;
}

// A narrow product with a transposed A (a weight gradient x^T dy into the 10-class layer:
// (100x32)^T-shaped A, n = 10) leaves 8x48's tiles one masked vector wide, one broadcast of A per
// fused multiply-add. Computed as C^T = B^T A^T instead, the same products land in tiles of up to
// 48 columns of A^T's rows, with B^T's row read in place; C^T is then transposed into C. Each
// element is the same fused multiply-adds in the same order (fma(a, b, c) = fma(b, a, c): one
// exact product, one rounding) over the same k blocks (shapeKernel's tiles cut k alike), so the
// bits are unchanged. Measured (docs/NATIVE_GEMM.md, 2026-12-04): (100x256)^T-shaped 100x256x10
// 102-106 -> 145-150 GFLOP/s on one and two threads; 100x32x10 stays at ~90 (its transpose back
// costs what the swap saves). A row-major A would make A^T a transposed B to pack (the forward
// 256x100x10: no gain). `auto` only (a named tile runs as it is).
static bool swapsNarrow(const SgemmMicroKernel* base, int64_t m, int64_t n, int64_t rsa, int64_t csa) {
  return selected().byShape && base == &kSgemmAvx512 && n <= 16 && m >= 32 && rsa == 1 && csa != 1;
}

static thread_local Buffer tlT;

static void sgemmSwapped(const SgemmMicroKernel* base, int64_t m, int64_t n, int64_t k, const float* a, int64_t rsa,
                  int64_t csa, const float* b, int64_t rsb, int64_t csb, float* c, int threads) {
  float* ct = tlT.get(static_cast<size_t>(m * n));
  // C^T [n, m] = B^T [n, k] A^T [k, m]: B^T(j, p) = b[p*rsb + j*csb], A^T(p, i) = a[i*rsa + p*csa].
  sgemmOne(shapeKernel(base, m, k), n, m, k, b, csb, rsb, a, csa, rsa, ct, threads, nullptr);
  for (int64_t i = 0; i < m; i++) {
    for (int64_t j = 0; j < n; j++) c[i * n + j] = ct[j * m + i];
  }
}

void sgemm(int64_t batch, int64_t m, int64_t n, int64_t k, const float* a, int64_t bsa, int64_t rsa, int64_t csa,
           const float* b, int64_t bsb, int64_t rsb, int64_t csb, float* c, const GemmEpilogue* epi) {
  if (batch <= 0 || m <= 0 || n <= 0) return;
  // Paths without blocks of their own: the epilogue runs over all of C after the product.
  const auto whole = [&] {
    if (epi != nullptr) epi->fn(epi->ctx, c, n, 0, batch * m, 0, n);
  };
  if (k <= 0) {
    std::memset(c, 0, static_cast<size_t>(batch * m * n) * sizeof(float));
    whole();
    return;
  }
  const SgemmMicroKernel* base = selected().kernel;
  const SgemmMicroKernel* kern = base == nullptr ? nullptr : shapeKernel(base, n, k);
  if (kern == nullptr) {
    gemmPortable(batch, m, n, k, a, bsa, rsa, csa, b, bsb, rsb, csb, c);
    whole();
    return;
  }
  if (epi != nullptr && batch > 1) {
    sgemm(batch, m, n, k, a, bsa, rsa, csa, b, bsb, rsb, csb, c, nullptr);
    whole();
    return;
  }
  const int threads = poolThreads();
  const bool swap = epi == nullptr && swapsNarrow(base, m, n, rsa, csa);
  // Matrix bi of the batch, over `t` threads.
  const auto one = [&](int64_t bi, int t, const GemmEpilogue* e) {
    if (swap) {
      sgemmSwapped(base, m, n, k, a + bi * bsa, rsa, csa, b + bi * bsb, rsb, csb, c + bi * m * n, t);
    } else {
      sgemmOne(kern, m, n, k, a + bi * bsa, rsa, csa, b + bi * bsb, rsb, csb, c + bi * m * n, t, e);
    }
  };
  if (batch >= threads && threads > 1 && 2.0 * batch * m * n * k >= tuning().parallelMinFlops) {
    // Whole matrices per thread: no split inside one product.
    parallelFor(batch, 1, [&](int64_t b0, int64_t b1) {
      for (int64_t bi = b0; bi < b1; bi++) one(bi, 1, nullptr);
    });
    return;
  }
  for (int64_t bi = 0; bi < batch; bi++) one(bi, threads, epi);
}

void dgemm(int64_t batch, int64_t m, int64_t n, int64_t k, const double* a, int64_t bsa, int64_t rsa, int64_t csa,
           const double* b, int64_t bsb, int64_t rsb, int64_t csb, double* c) {
  if (batch <= 0 || m <= 0 || n <= 0) return;
  gemmPortable(batch, m, n, k, a, bsa, rsa, csa, b, bsb, rsb, csb, c);
}

bool gemmSwapsFor(int64_t m, int64_t n, int64_t rsa, int64_t csa) {
  return swapsNarrow(selected().kernel, m, n, rsa, csa);
}

const char* gemmTileFor(int64_t n, int64_t k) {
  const SgemmMicroKernel* kern = selected().kernel;
  return kern == nullptr ? "portable" : shapeKernel(kern, n, k)->tile;
}

const char* gemmKernelName() {
  const SgemmMicroKernel* k = selected().kernel;
  return k == nullptr ? "portable" : k->name;
}

}  // namespace hebb
