// AVX2+FMA sgemm micro-kernels: a 6-row x 2-vector (16 floats) tile in 12 of the 16 ymm
// registers, the classic Haswell shape; the same structure as gemm_avx512.cc (every edge shape
// its own instantiation, the last vector's columns masked with vmaskmov, which only the
// tiles with a partial vector pay for).
//
// Compiled with `#pragma GCC target`; gemm.cc calls it only when the CPU has AVX2 and FMA.
// Everything is static except the descriptor at the end (constant data, see gemm_kernels.h).
#include <immintrin.h>

#include "gemm_kernels.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace hebb {
namespace {

alignas(64) const int32_t kMaskTable[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

// AROWS: A is row-major in place (element (i, p) at A[i*ars + p]), else k-major (A[p*as + i]).
template <int MR, int NV, bool MASKED, bool AROWS>
void tile(int64_t kc, const float* A, int64_t as, int64_t ars, const float* B, int64_t bs, float* C, int64_t ldc,
          __m256i last, int accumulate) {
  __m256 c[MR][NV];
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) c[i][v] = _mm256_setzero_ps();
  }
#pragma GCC unroll 2
  for (int64_t p = 0; p < kc; p++) {
    __m256 b[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) {
      b[v] = MASKED && v == NV - 1 ? _mm256_maskload_ps(B + 8 * v, last) : _mm256_loadu_ps(B + 8 * v);
    }
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++) {
      __m256 a = _mm256_broadcast_ss(AROWS ? A + i * ars : A + i);
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) c[i][v] = _mm256_fmadd_ps(a, b[v], c[i][v]);
    }
    A += AROWS ? 1 : as;
    B += bs;
  }
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++) {
    float* ci = C + i * ldc;
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) {
      if (MASKED && v == NV - 1) {
        __m256 r = accumulate ? _mm256_add_ps(_mm256_maskload_ps(ci + 8 * v, last), c[i][v]) : c[i][v];
        _mm256_maskstore_ps(ci + 8 * v, last, r);
      } else {
        __m256 r = accumulate ? _mm256_add_ps(_mm256_loadu_ps(ci + 8 * v), c[i][v]) : c[i][v];
        _mm256_storeu_ps(ci + 8 * v, r);
      }
    }
  }
}

using TileFn = void (*)(int64_t, const float*, int64_t, int64_t, const float*, int64_t, float*, int64_t, __m256i, int);

#define HEBB_TILES2(M, R) {{tile<M, 1, false, R>, tile<M, 1, true, R>}, {tile<M, 2, false, R>, tile<M, 2, true, R>}}
#define HEBB_TILES(M) {HEBB_TILES2(M, false), HEBB_TILES2(M, true)}
const TileFn k6x16[6][2][2][2] = {HEBB_TILES(1), HEBB_TILES(2), HEBB_TILES(3),
                               HEBB_TILES(4), HEBB_TILES(5), HEBB_TILES(6)};

void run6x16(int rows, int cols, int64_t kc, const float* A, int64_t as, int64_t ars, const float* B, int64_t bs, float* C,
             int64_t ldc, int accumulate) {
  int r = cols & 7;
  __m256i last = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMaskTable + (r == 0 ? 0 : 8 - r)));
  k6x16[rows - 1][ars != 1][(cols + 7) / 8 - 1][r != 0](kc, A, as, ars, B, bs, C, ldc, last, accumulate);
}

}  // namespace
}  // namespace hebb

#pragma GCC pop_options

namespace hebb {
extern const SgemmMicroKernel kSgemmAvx2 = {"avx2", "6x16", 6, 16, 512, run6x16, nullptr};
}  // namespace hebb
