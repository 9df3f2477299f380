// AVX-512 sgemm micro-kernels: a tile of MR rows x NV 16-float vectors held in zmm
// accumulators (MR*NV of the 32 registers; 8x48 by default, 14x32 and 6x64 selectable), one
// broadcast of A per row and NV loads of B per step of k, MR*NV fused multiply-adds. Every (rows, vectors) shape up to the tile is its own
// instantiation, so edge tiles run the same register-resident loop with fewer registers; the
// last vector's columns are masked (loads and stores), so nothing outside C or B is touched.
//
// Compiled with `#pragma GCC target` (the addon's build has no -march flag); gemm.cc calls
// these only when __builtin_cpu_supports says the CPU has AVX-512F. Everything here is static
// except the descriptors at the end, which are constant data (see gemm_kernels.h on why).
#include <immintrin.h>

#include "gemm_kernels.h"

#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512dq,avx512bw,fma")

namespace hebb {
namespace {

// AROWS: A is row-major in place (element (i, p) at A[i*ars + p]), else k-major (A[p*as + i]).
template <int MR, int NV, bool AROWS>
void tile(int64_t kc, const float* A, int64_t as, int64_t ars, const float* B, int64_t bs, float* C, int64_t ldc,
          __mmask16 last, int accumulate) {
  __m512 c[MR][NV];
#pragma GCC unroll 32
  for (int i = 0; i < MR; i++) {
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) c[i][v] = _mm512_setzero_ps();
  }
#pragma GCC unroll 2
  for (int64_t p = 0; p < kc; p++) {
    __m512 b[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) {
      b[v] = v == NV - 1 ? _mm512_maskz_loadu_ps(last, B + 16 * v) : _mm512_loadu_ps(B + 16 * v);
    }
#pragma GCC unroll 32
    for (int i = 0; i < MR; i++) {
      __m512 a = _mm512_set1_ps(AROWS ? A[i * ars] : A[i]);
#pragma GCC unroll 8
      for (int v = 0; v < NV; v++) c[i][v] = _mm512_fmadd_ps(a, b[v], c[i][v]);
    }
    A += AROWS ? 1 : as;
    B += bs;
  }
#pragma GCC unroll 32
  for (int i = 0; i < MR; i++) {
    float* ci = C + i * ldc;
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) {
      if (v == NV - 1) {
        __m512 r = accumulate ? _mm512_add_ps(_mm512_maskz_loadu_ps(last, ci + 16 * v), c[i][v]) : c[i][v];
        _mm512_mask_storeu_ps(ci + 16 * v, last, r);
      } else {
        __m512 r = accumulate ? _mm512_add_ps(_mm512_loadu_ps(ci + 16 * v), c[i][v]) : c[i][v];
        _mm512_storeu_ps(ci + 16 * v, r);
      }
    }
  }
}

using TileFn = void (*)(int64_t, const float*, int64_t, int64_t, const float*, int64_t, float*, int64_t, __mmask16, int);

#define HEBB_ROW2(M) {{tile<M, 1, false>, tile<M, 2, false>}, {tile<M, 1, true>, tile<M, 2, true>}}
#define HEBB_ROW3(M) {{tile<M, 1, false>, tile<M, 2, false>, tile<M, 3, false>}, {tile<M, 1, true>, tile<M, 2, true>, tile<M, 3, true>}}
#define HEBB_ROW4(M) {{tile<M, 1, false>, tile<M, 2, false>, tile<M, 3, false>, tile<M, 4, false>}, {tile<M, 1, true>, tile<M, 2, true>, tile<M, 3, true>, tile<M, 4, true>}}

const TileFn k14x32[14][2][2] = {HEBB_ROW2(1),  HEBB_ROW2(2),  HEBB_ROW2(3),  HEBB_ROW2(4), HEBB_ROW2(5),
                              HEBB_ROW2(6),  HEBB_ROW2(7),  HEBB_ROW2(8),  HEBB_ROW2(9), HEBB_ROW2(10),
                              HEBB_ROW2(11), HEBB_ROW2(12), HEBB_ROW2(13), HEBB_ROW2(14)};
const TileFn k8x48[8][2][3] = {HEBB_ROW3(1), HEBB_ROW3(2), HEBB_ROW3(3), HEBB_ROW3(4),
                            HEBB_ROW3(5), HEBB_ROW3(6), HEBB_ROW3(7), HEBB_ROW3(8)};
const TileFn k6x64[6][2][4] = {HEBB_ROW4(1), HEBB_ROW4(2), HEBB_ROW4(3), HEBB_ROW4(4), HEBB_ROW4(5), HEBB_ROW4(6)};

inline __mmask16 lastMask(int cols) {
  int r = cols & 15;
  return r == 0 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << r) - 1u);
}

void run14x32(int rows, int cols, int64_t kc, const float* A, int64_t as, int64_t ars, const float* B, int64_t bs, float* C,
              int64_t ldc, int accumulate) {
  k14x32[rows - 1][ars != 1][(cols + 15) / 16 - 1](kc, A, as, ars, B, bs, C, ldc, lastMask(cols), accumulate);
}
void run8x48(int rows, int cols, int64_t kc, const float* A, int64_t as, int64_t ars, const float* B, int64_t bs, float* C,
             int64_t ldc, int accumulate) {
  k8x48[rows - 1][ars != 1][(cols + 15) / 16 - 1](kc, A, as, ars, B, bs, C, ldc, lastMask(cols), accumulate);
}
void run6x64(int rows, int cols, int64_t kc, const float* A, int64_t as, int64_t ars, const float* B, int64_t bs, float* C,
             int64_t ldc, int accumulate) {
  k6x64[rows - 1][ars != 1][(cols + 15) / 16 - 1](kc, A, as, ars, B, bs, C, ldc, lastMask(cols), accumulate);
}

// Packs a transposed B (row stride 1: element (p, j) at b[j*csb + p]) into a kc x nr panel,
// dst[p*nr + j], by 16x16 register transposes (a scalar copy of this layout does one strided
// store per element). Only j < cols is written (masked stores), so nr may be any width >= cols:
// gemm.cc also packs row-major A panels with it (cols = nr = the panel's rows).
// (GCC 12's unpack/shuffle intrinsics pass _mm512_undefined_ps() to their builtins, which its
// -Wmaybe-uninitialized reports at every call: silenced for this function only.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
void packBT(const float* b, int64_t csb, int64_t kc, int64_t cols, int64_t nr, float* dst) {
  for (int64_t jb = 0; jb < cols; jb += 16) {
    const int64_t nj = cols - jb < 16 ? cols - jb : 16;
    const __mmask16 jm = nj == 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << nj) - 1u);
    for (int64_t pb = 0; pb < kc; pb += 16) {
      const int64_t np = kc - pb < 16 ? kc - pb : 16;
      const __mmask16 pm = np == 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << np) - 1u);
      __m512 r[16], t[16];
#pragma GCC unroll 16
      for (int j = 0; j < 16; j++) {
        r[j] = j < nj ? _mm512_maskz_loadu_ps(pm, b + (jb + j) * csb + pb) : _mm512_setzero_ps();
      }
#pragma GCC unroll 8
      for (int j = 0; j < 16; j += 2) {
        t[j] = _mm512_unpacklo_ps(r[j], r[j + 1]);
        t[j + 1] = _mm512_unpackhi_ps(r[j], r[j + 1]);
      }
#pragma GCC unroll 4
      for (int j = 0; j < 16; j += 4) {
        r[j] = _mm512_shuffle_ps(t[j], t[j + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[j + 1] = _mm512_shuffle_ps(t[j], t[j + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[j + 2] = _mm512_shuffle_ps(t[j + 1], t[j + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[j + 3] = _mm512_shuffle_ps(t[j + 1], t[j + 3], _MM_SHUFFLE(3, 2, 3, 2));
      }
#pragma GCC unroll 2
      for (int h = 0; h < 16; h += 8) {
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++) {
          t[h + j] = _mm512_shuffle_f32x4(r[h + j], r[h + j + 4], 0x88);
          t[h + j + 4] = _mm512_shuffle_f32x4(r[h + j], r[h + j + 4], 0xdd);
        }
      }
#pragma GCC unroll 8
      for (int j = 0; j < 8; j++) {
        r[j] = _mm512_shuffle_f32x4(t[j], t[j + 8], 0x88);
        r[j + 8] = _mm512_shuffle_f32x4(t[j], t[j + 8], 0xdd);
      }
      // r[q] now holds B(pb + q, jb .. jb + 15).
#pragma GCC unroll 16
      for (int q = 0; q < 16; q++) {
        if (q < np) _mm512_mask_storeu_ps(dst + (pb + q) * nr + jb, jm, r[q]);
      }
    }
  }
}
#pragma GCC diagnostic pop

}  // namespace
}  // namespace hebb

#pragma GCC pop_options

namespace hebb {
extern const SgemmMicroKernel kSgemmAvx512_14x32 = {"avx512", "14x32", 14, 32, 384, run14x32, packBT};
extern const SgemmMicroKernel kSgemmAvx512 = {"avx512", "8x48", 8, 48, 256, run8x48, packBT};
extern const SgemmMicroKernel kSgemmAvx512_6x64 = {"avx512", "6x64", 6, 64, 192, run6x64, packBT};
}  // namespace hebb
