// reduce (sum, prod, max, min, argmax, argmin over trailing axes), gather and scatterAdd.
//
// Sums are pairwise (NumPy's pairwise_sum on each contiguous block of up to 1024 gathered
// values, the blocks then combined as a binary tree), so an element passes through
// O(log2 n) additions: the conformance suite's bound. Float32 values are summed in double and
// rounded once.
#include <algorithm>
#include <vector>
#include "kernels.h"
#include "ops.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace hebb {

// NumPy's pairwise_sum over a contiguous block, read as T and summed in double. One template
// serves the gathered doubles and, on the dense fast path below, float32 or float64 read in
// place: the additions and their order are the same, so both give the same sum bit for bit.
template <typename T> HEBB_ALWAYS_INLINE static inline double pairwiseLeaf(const T* a, int64_t n) {
  if (n < 8) {
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += static_cast<double>(a[i]);
    return s;
  }
  double r[8];
  for (int k = 0; k < 8; k++) r[k] = static_cast<double>(a[k]);
  int64_t i = 8;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; k++) r[k] += static_cast<double>(a[i + k]);
  double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
  for (; i < n; i++) s += static_cast<double>(a[i]);
  return s;
}

constexpr int64_t SUM_BLOCK = 1024;

// Block sums combined as a binary counter: two partial sums of the same level merge, so the
// tree over the blocks is balanced whatever the row length.
struct PairwiseAcc {
  double sums[64];
  int levels[64];
  int top = 0;
  void push(double s) {
    int lv = 0;
    while (top > 0 && levels[top - 1] == lv) {
      s = sums[--top] + s;
      lv++;
    }
    sums[top] = s;
    levels[top++] = lv;
  }
  double result() {
    double s = 0;
    bool first = true;
    while (top > 0) {
      const double v = sums[--top];
      s = first ? v : v + s;
      first = false;
    }
    return s;
  }
};

// pairwise_sum's recursion (halve until 128 values, halves rounded down to a multiple of 8),
// unrolled D levels deep so a whole block sum inlines into its caller: a block of at most
// SUM_BLOCK = 1024 values reaches 128 in three halvings, so D = 4 is the full recursion.
template <int D, typename T> HEBB_ALWAYS_INLINE static inline double pairwise(const T* a, int64_t n) {
  if constexpr (D == 0) {
    return pairwiseLeaf(a, n);
  } else {
    if (n <= 128) return pairwiseLeaf(a, n);
    int64_t h = n / 2;
    h -= h % 8;
    return pairwise<D - 1>(a, h) + pairwise<D - 1>(a + h, n - h);
  }
}

// The dense fast path: a float row read in place (no gather into doubles), its block sums
// vectorized for the CPU (one clone per ISA, as fused.cc does). The additions and their order
// are the gathered path's, so the sums are identical. A weight-sized gradient's sum (the
// finiteness guard of every training step) went from 185 to 59 us here; whole blocks with their
// eight leaves side by side (pairwiseFullBlock), 24 -> 14 us on the AMD EPYC (2026-12-03).
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define HEBB_REDUCE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define HEBB_REDUCE_CLONES
#endif

// pairwise<4>(a, SUM_BLOCK) of a whole block: its halvings (512, 256, 128) are multiples of 8,
// so it is eight pairwiseLeaf calls over 128 values, combined as ((L0+L1)+(L2+L3))+((L4+L5)+
// (L6+L7)). One leaf is one chain of dependent vector additions (a latency of ~4 cycles per
// 8 values); the eight leaves here run side by side, each with its own eight running sums, so
// the chains overlap. The additions and their order are pairwise<4>'s, so the sum is the same
// bit for bit (the conformance suite and native_reduce.test compare with the gathered path).
template <typename T> HEBB_ALWAYS_INLINE static inline double pairwiseFullBlock(const T* a) {
  static_assert(SUM_BLOCK == 1024, "eight leaves of 128");
  double r[8][8];
  for (int l = 0; l < 8; l++)
    for (int k = 0; k < 8; k++) r[l][k] = static_cast<double>(a[128 * l + k]);
  for (int i = 8; i < 128; i += 8)
    for (int l = 0; l < 8; l++)
      for (int k = 0; k < 8; k++) r[l][k] += static_cast<double>(a[128 * l + i + k]);
  double s[8];
  for (int l = 0; l < 8; l++) s[l] = ((r[l][0] + r[l][1]) + (r[l][2] + r[l][3])) + ((r[l][4] + r[l][5]) + (r[l][6] + r[l][7]));
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

// A row's blocks: whole ones through `full` (a pairwiseFullBlock), the last partial one through
// pairwise<4>, the block sums combined by PairwiseAcc.
template <typename T, typename Full> HEBB_ALWAYS_INLINE static inline double sumRowBlocks(const T* row, int64_t inner, Full full) {
  PairwiseAcc pa;
  for (int64_t i0 = 0; i0 < inner; i0 += SUM_BLOCK) {
    pa.push(inner - i0 >= SUM_BLOCK ? full(row + i0) : pairwise<4>(row + i0, inner - i0));
  }
  return pa.result();
}

template <typename T> HEBB_ALWAYS_INLINE static inline double sumRowDense(const T* row, int64_t inner) {
  return sumRowBlocks(row, inner, [](const T* a) { return pairwiseFullBlock(a); });
}

#if defined(__x86_64__) && defined(__GNUC__)
// pairwiseFullBlock of float32 in AVX-512 registers (the compiler's clone keeps 256-bit
// vectors): one zmm of eight doubles per leaf, r[l][0..7] in its lanes, the same additions.
__attribute__((target("avx512f"))) static double pairwiseFullBlockF32Avx512(const float* a) {
  __m512d r[8];
  for (int l = 0; l < 8; l++) r[l] = _mm512_cvtps_pd(_mm256_loadu_ps(a + 128 * l));
  for (int i = 8; i < 128; i += 8)
    for (int l = 0; l < 8; l++) r[l] = _mm512_add_pd(r[l], _mm512_cvtps_pd(_mm256_loadu_ps(a + 128 * l + i)));
  alignas(64) double v[8][8];
  for (int l = 0; l < 8; l++) _mm512_store_pd(v[l], r[l]);
  double s[8];
  for (int l = 0; l < 8; l++) s[l] = ((v[l][0] + v[l][1]) + (v[l][2] + v[l][3])) + ((v[l][4] + v[l][5]) + (v[l][6] + v[l][7]));
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

__attribute__((target("avx512f"))) static double sumRowF32Avx512(const float* row, int64_t inner) {
  return sumRowBlocks(row, inner, pairwiseFullBlockF32Avx512);
}
#endif

HEBB_REDUCE_CLONES static double sumRowF32Clones(const float* row, int64_t inner) { return sumRowDense(row, inner); }

static double sumRowF32(const float* row, int64_t inner) {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  if (avx512) return sumRowF32Avx512(row, inner);
#endif
  return sumRowF32Clones(row, inner);
}
HEBB_REDUCE_CLONES static double sumRowF64(const double* row, int64_t inner) { return sumRowDense(row, inner); }

// Column sums: x is a dense [inner, cols] array read as [cols, inner] (strides [1, stride]),
// the bias gradient's and batch normalization's sum over the batch. Each column takes exactly
// the additions pairwiseLeaf / pairwise / PairwiseAcc give its gathered values, W columns at a
// time in lanes (lane-wise additions vectorize), so the sums are the gathered path's bit for
// bit; the gathered path walked every element through a strided cursor (19 us for [32, 300]).
template <int W, typename T> HEBB_ALWAYS_INLINE static inline void leafCols(const T* a, int64_t n, int64_t s, double* out) {
  if (n < 8) {
    double acc[W];
    for (int w = 0; w < W; w++) acc[w] = 0;
    for (int64_t i = 0; i < n; i++)
      for (int w = 0; w < W; w++) acc[w] += static_cast<double>(a[i * s + w]);
    for (int w = 0; w < W; w++) out[w] = acc[w];
    return;
  }
  double r[8][W];
  for (int k = 0; k < 8; k++)
    for (int w = 0; w < W; w++) r[k][w] = static_cast<double>(a[k * s + w]);
  int64_t i = 8;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; k++)
      for (int w = 0; w < W; w++) r[k][w] += static_cast<double>(a[(i + k) * s + w]);
  for (int w = 0; w < W; w++) out[w] = ((r[0][w] + r[1][w]) + (r[2][w] + r[3][w])) + ((r[4][w] + r[5][w]) + (r[6][w] + r[7][w]));
  for (; i < n; i++)
    for (int w = 0; w < W; w++) out[w] += static_cast<double>(a[i * s + w]);
}

template <int D, int W, typename T> HEBB_ALWAYS_INLINE static inline void pairwiseCols(const T* a, int64_t n, int64_t s, double* out) {
  if constexpr (D == 0) {
    leafCols<W>(a, n, s, out);
  } else {
    if (n <= 128) return leafCols<W>(a, n, s, out);
    int64_t h = n / 2;
    h -= h % 8;
    double lo[W], hi[W];
    pairwiseCols<D - 1, W>(a, h, s, lo);
    pairwiseCols<D - 1, W>(a + h * s, n - h, s, hi);
    for (int w = 0; w < W; w++) out[w] = lo[w] + hi[w];
  }
}

template <int W, typename T> HEBB_ALWAYS_INLINE static inline void sumColsBlock(const T* a, int64_t inner, int64_t s, double* out) {
  if (inner <= SUM_BLOCK) return pairwiseCols<4, W>(a, inner, s, out);
  PairwiseAcc pa[W];
  double blk[W];
  for (int64_t i0 = 0; i0 < inner; i0 += SUM_BLOCK) {
    pairwiseCols<4, W>(a + i0 * s, std::min(SUM_BLOCK, inner - i0), s, blk);
    for (int w = 0; w < W; w++) pa[w].push(blk[w]);
  }
  for (int w = 0; w < W; w++) out[w] = pa[w].result();
}

template <typename T> HEBB_ALWAYS_INLINE static inline void sumColsDense(const T* a, int64_t cols, int64_t inner, int64_t s, const Buf& out) {
  constexpr int W = 8;
  double r[W];
  int64_t j = 0;
  for (; j + W <= cols; j += W) {
    sumColsBlock<W>(a + j, inner, s, r);
    for (int w = 0; w < W; w++) storeDouble(out, j + w, r[w]);
  }
  for (; j < cols; j++) {
    sumColsBlock<1>(a + j, inner, s, r);
    storeDouble(out, j, r[0]);
  }
}

HEBB_REDUCE_CLONES static void sumColsF32(const float* a, int64_t cols, int64_t inner, int64_t s, const Buf& out) { sumColsDense(a, cols, inner, s, out); }
HEBB_REDUCE_CLONES static void sumColsF64(const double* a, int64_t cols, int64_t inner, int64_t s, const Buf& out) { sumColsDense(a, cols, inner, s, out); }

int kReduce(Desc& d) {
  const int op = static_cast<int>(d.i64());  // 0 sum, 1 max, 2 min, 3 prod, 4 argmax, 5 argmin
  const int axes = static_cast<int>(d.i64());
  const View x = readView(d);
  const Buf out = readBuf(d);
  int64_t inner = 1;
  for (int i = x.origRank - axes; i < x.origRank; i++) inner *= x.oshape[i];
  if (op == 0 && (x.dtype == F32 || x.dtype == F64) && x.dense() && x.size == out.size * inner && inner > 0) {
    for (int64_t r = 0; r < out.size; r++) storeDouble(out, r, x.dtype == F32 ? sumRowF32(x.at<float>(r * inner), inner) : sumRowF64(x.at<double>(r * inner), inner));
    return 0;
  }
  if (op == 0 && (x.dtype == F32 || x.dtype == F64) && x.rank == 2 && x.strides[0] == 1 && x.shape[0] == out.size && x.shape[1] == inner && inner > 0) {
    if (x.dtype == F32) sumColsF32(x.at<float>(0), out.size, inner, x.strides[1], out);
    else sumColsF64(x.at<double>(0), out.size, inner, x.strides[1], out);
    return 0;
  }
  Cursor c(x);
  std::vector<double> buf(static_cast<size_t>(std::min<int64_t>(std::max<int64_t>(inner, 1), SUM_BLOCK)));
  const bool i32 = x.dtype == I32 || x.dtype == BOOL;
  for (int64_t r = 0; r < out.size; r++) {
    double acc = 0;
    int64_t best = 0;
    switch (op) {
      case 0: {
        if (i32) {
          uint32_t s = 0;  // int32 sums wrap, as int32 adds do
          for (int64_t i0 = 0; i0 < inner; i0 += SUM_BLOCK) {
            const int64_t len = std::min(SUM_BLOCK, inner - i0);
            gatherDouble(c, buf.data(), len);
            for (int64_t j = 0; j < len; j++) s += static_cast<uint32_t>(static_cast<int32_t>(buf[j]));
          }
          acc = static_cast<int32_t>(s);
        } else {
          PairwiseAcc pa;
          for (int64_t i0 = 0; i0 < inner; i0 += SUM_BLOCK) {
            const int64_t len = std::min(SUM_BLOCK, inner - i0);
            gatherDouble(c, buf.data(), len);
            pa.push(pairwise<4>(buf.data(), len));
          }
          acc = pa.result();
        }
        break;
      }
      case 3: {
        acc = 1;
        uint32_t p = 1;
        for (int64_t i0 = 0; i0 < inner; i0 += SUM_BLOCK) {
          const int64_t len = std::min(SUM_BLOCK, inner - i0);
          gatherDouble(c, buf.data(), len);
          if (i32) for (int64_t j = 0; j < len; j++) p *= static_cast<uint32_t>(static_cast<int32_t>(buf[j]));
          else for (int64_t j = 0; j < len; j++) acc *= buf[j];
        }
        if (i32) acc = static_cast<int32_t>(p);
        break;
      }
      default: {
        const bool isMax = op == 1 || op == 4;
        acc = isMax ? -INFINITY : INFINITY;
        for (int64_t i0 = 0; i0 < inner; i0 += SUM_BLOCK) {
          const int64_t len = std::min(SUM_BLOCK, inner - i0);
          gatherDouble(c, buf.data(), len);
          for (int64_t j = 0; j < len; j++) {
            const double v = buf[j];
            // NaN wins, as in NumPy; the first extreme (or first NaN) is the arg.
            if ((isMax ? v > acc : v < acc) || (v != v && acc == acc)) {
              acc = v;
              best = i0 + j;
            }
          }
        }
        if (op >= 4) acc = static_cast<double>(best);
        break;
      }
    }
    storeDouble(out, r, acc);
  }
  return 0;
}

// Reads an int32 index view (any rank) in row-major order.
static std::vector<int32_t> readIndices(const View& v) {
  std::vector<int32_t> idx(static_cast<size_t>(v.size));
  Cursor c(v);
  if (v.size > 0) gatherAs<int32_t, int32_t>(c, idx.data(), v.size);
  return idx;
}

template <typename W> static void gatherRows(const View& x, const std::vector<int32_t>& idx, W* o) {
  const int64_t outer = x.oshape[0], inner = x.oshape[2];
  const int64_t so = x.ostrides[0], sn = x.ostrides[1], si = x.ostrides[2];
  const W* src = x.at<W>(0);
  for (int64_t a = 0; a < outer; a++) {
    for (const int32_t row : idx) {
      const W* p = src + a * so + row * sn;
      if (si == 1) std::memcpy(o, p, inner * sizeof(W));
      else for (int64_t i = 0; i < inner; i++) o[i] = p[i * si];
      o += inner;
    }
  }
}

int kGather(Desc& d, double* back) {
  const View x = readView(d);  // [outer, n, inner]
  const View iv = readView(d);
  const Buf out = readBuf(d);
  const std::vector<int32_t> idx = readIndices(iv);
  const int64_t n = x.oshape[1];
  // Every index is checked before anything is written: an error never leaves a partial result.
  for (const int32_t row : idx) {
    if (row < 0 || row >= n) {
      back[0] = row;
      back[1] = static_cast<double>(n);
      return 1;
    }
  }
  switch (dtypeBytes(x.dtype)) {
    case 8: gatherRows<uint64_t>(x, idx, out.as<uint64_t>()); break;
    case 4: gatherRows<uint32_t>(x, idx, out.as<uint32_t>()); break;
    default: gatherRows<uint8_t>(x, idx, out.as<uint8_t>()); break;
  }
  return 0;
}

int kScatterAdd(Desc& d, double* back) {
  const View u = readView(d);  // [outer, count, inner]
  const View iv = readView(d);
  const Buf out = readBuf(d);
  const int64_t outer = u.oshape[0], count = u.oshape[1], inner = u.oshape[2];
  const std::vector<int32_t> idx = readIndices(iv);
  const int64_t n = outer * inner == 0 ? 0 : out.size / (outer * inner);
  for (const int32_t row : idx) {
    if (row < 0 || row >= n) {
      back[0] = row;
      back[1] = static_cast<double>(n);
      return 1;
    }
  }
  std::memset(out.ptr, 0, out.size * dtypeBytes(out.dtype));
  Cursor c(u);
  std::vector<double> vals(static_cast<size_t>(std::max<int64_t>(inner, 1)));
  for (int64_t a = 0; a < outer; a++) {
    for (int64_t j = 0; j < count; j++) {
      gatherDouble(c, vals.data(), inner);
      const int64_t base = (a * n + idx[j]) * inner;
      switch (out.dtype) {
        case F32: { float* o = out.as<float>() + base; for (int64_t i = 0; i < inner; i++) o[i] = o[i] + static_cast<float>(vals[i]); break; }
        case F64: { double* o = out.as<double>() + base; for (int64_t i = 0; i < inner; i++) o[i] += vals[i]; break; }
        case I32: { int32_t* o = out.as<int32_t>() + base; for (int64_t i = 0; i < inner; i++) o[i] = static_cast<int32_t>(static_cast<uint32_t>(o[i]) + static_cast<uint32_t>(static_cast<int32_t>(vals[i]))); break; }
        default: { uint8_t* o = out.as<uint8_t>() + base; for (int64_t i = 0; i < inner; i++) o[i] = jsToUint8(o[i] + vals[i]); break; }
      }
    }
  }
  return 0;
}

}  // namespace hebb
