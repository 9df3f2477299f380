// Internal to the GEMM (native/src/gemm*.cc): the micro-kernel interface the blocked driver in
// gemm.cc calls, and the switches tests and benchmarks use to force a kernel.
//
// This header is included by the ISA-specific files (gemm_avx512.cc, gemm_avx2.cc), which are
// compiled with `#pragma GCC target`: it must stay plain data and declarations (no inline
// functions, no standard-library templates), or an AVX-512 copy of some inline function could be
// the one the linker keeps for the whole addon.
#pragma once
#include <cstdint>

namespace hebb {

// One register-blocked micro-kernel family: it computes a tile of at most mr rows and nr columns,
//   C[i*ldc + j] (= or +=) sum over p < kc of A(i, p) * B[p*bs + j],   i < rows, j < cols,
// with the sum over p done in increasing p (one fused multiply-add per p). `accumulate` 0
// stores the sum, 1 adds it to C. With ars == 1, A(i, p) = A[p*as + i]: a packed panel
// (as = rows) or a column-major operand (as = its column stride); otherwise A is row-major in
// place, A(i, p) = A[i*ars + p] (as unused). B is read as cols-wide steps of stride
// `bs` (a packed panel, bs = nr, or a row-major operand, bs = its row stride). Neither is read
// outside those elements (edges use masked loads), so operands need no padding.
struct SgemmMicroKernel {
  const char* name;  // "avx512", "avx2"
  const char* tile;  // e.g. "8x48"
  int mr;
  int nr;
  int kc;  // default k block: a kc x nr B panel (4*kc*nr bytes) fits in L1d next to A's rows
  void (*run)(int rows, int cols, int64_t kc, const float* A, int64_t as, int64_t ars, const float* B, int64_t bs,
              float* C, int64_t ldc, int accumulate);
  // Optional (nullptr: gemm.cc's scalar copy): packs B(p, j) = b[j*csb + p] for p < kc, j < cols
  // (a transposed view) into dst[p*nr + j], writing nothing else (nr >= cols, any width). Also
  // packs a row-major A panel (A(i, p) = a[i*rsa + p] -> dst[p*rows + i]).
  void (*packBT)(const float* b, int64_t csb, int64_t kc, int64_t cols, int64_t nr, float* dst);
};

// Defined in gemm_avx512.cc / gemm_avx2.cc; only called when the CPU has the instructions.
extern const SgemmMicroKernel kSgemmAvx512;        // 8x48, the default
extern const SgemmMicroKernel kSgemmAvx512_14x32;  // alternatives, measured in docs/NATIVE_GEMM.md
extern const SgemmMicroKernel kSgemmAvx512_6x64;
extern const SgemmMicroKernel kSgemmAvx2;  // 6x16

// Chooses the sgemm kernel: "avx512", "avx2", "portable", or "auto" (the best the CPU has;
// also what HEBB_NATIVE_GEMM selects at start-up, unset meaning "auto"). "avx512:14x32" and
// "avx512:6x64" pick the alternative AVX-512 tiles (benchmarks; "avx512:8x48" is "avx512").
// Returns false, changing nothing, when the name is unknown or the CPU lacks the instructions.
// Not thread-safe: call before any sgemm runs concurrently.
bool gemmSelectKernel(const char* name);

// Benchmarks and tests: sets one of the HEBB_GEMM_* blocking knobs (docs/NATIVE_GEMM.md) as if
// it were in the environment at start-up; name == nullptr restores the start-up values. False
// for an unknown name or a bad value. Not thread-safe, like gemmSelectKernel. HEBB_GEMM_KC
// changes the k blocking and therefore the rounding of results.
bool gemmSetTuning(const char* name, const char* value);

// The tile sgemm runs an [m, k] x [k, n] product with ("8x48", "6x64", ...; "portable"):
// with "auto" selected it depends on n and k (gemm.cc's shapeKernel). Tests use it.
const char* gemmTileFor(int64_t n, int64_t k);

// Whether sgemm computes an m x n product with A's strides (rsa, csa) as C^T = B^T A^T
// (gemm.cc's swapsNarrow: "auto" on AVX-512, n <= 16, m >= 32, A transposed). Tests use it.
bool gemmSwapsFor(int64_t m, int64_t n, int64_t rsa, int64_t csa);

// Whether this CPU can run a kernel ("avx512", "avx2", "portable").
bool gemmCpuSupports(const char* name);

}  // namespace hebb
