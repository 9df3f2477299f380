// matmul (through gemm.h, whichever kernel the CPU runs) and the Philox uniforms.
#include "gemm.h"
#include "kernels.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace hebb {

int kMatmul(Desc& d) {
  const View a = readView(d);  // [batch, m, k]
  const View b = readView(d);  // [batch, k, n]
  const Buf out = readBuf(d);
  const int64_t batch = a.oshape[0], m = a.oshape[1], k = a.oshape[2], n = b.oshape[2];
  if (batch * m * n == 0) return 0;
  if (out.dtype == F32) {
    sgemm(batch, m, n, k, a.at<float>(0), a.ostrides[0], a.ostrides[1], a.ostrides[2],
          b.at<float>(0), b.ostrides[0], b.ostrides[1], b.ostrides[2], out.as<float>());
  } else {
    dgemm(batch, m, n, k, a.at<double>(0), a.ostrides[0], a.ostrides[1], a.ostrides[2],
          b.at<double>(0), b.ostrides[0], b.ostrides[1], b.ostrides[2], out.as<double>());
  }
  return 0;
}

// Philox4x32-10 (Random123; core/random.ts's philox4x32).
static inline void philox(uint32_t c[4], uint32_t k0, uint32_t k1) {
  for (int r = 0; r < 10; r++) {
    if (r > 0) {
      k0 += 0x9e3779b9u;
      k1 += 0xbb67ae85u;
    }
    const uint64_t p0 = static_cast<uint64_t>(0xd2511f53u) * c[0];
    const uint64_t p1 = static_cast<uint64_t>(0xcd9e8d57u) * c[2];
    const uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
    const uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
    const uint32_t n0 = hi1 ^ c[1] ^ k0, n2 = hi0 ^ c[3] ^ k1;
    c[0] = n0;
    c[1] = lo1;
    c[2] = n2;
    c[3] = lo0;
  }
}

static inline double uniformOf(uint32_t w, double minval, double width) {
  return minval + width * (static_cast<double>(w >> 8) * (1.0 / 16777216.0));
}

// Sixteen blocks at once in AVX-512 lanes (one 32-bit lane per block and word): the same
// rounds as philox() on independent counters, the 32x32 -> 64-bit products from vpmuludq on the
// even and the odd lanes. The one-block loop is bound by its scalar multiplies (~8 ns a word
// in the addon); this is ~5x faster, and each block's words are philox()'s exactly, so the
// uniforms stay bit-identical (the conformance suite's Philox cases: starts, lengths, carries).
#if defined(__x86_64__) && defined(__GNUC__)
#define HEBB_PHILOX_AVX512 1
constexpr int kLanes = 16;

template <typename T> __attribute__((target("avx512f"))) static void uniformGroupsAvx512(T* out, uint64_t ctr0, int64_t groups, uint32_t k0, uint32_t k1, uint32_t s0, uint32_t s1, double minval, double width) {
  const __m512i M0 = _mm512_set1_epi32(static_cast<int>(0xd2511f53u)), M1 = _mm512_set1_epi32(static_cast<int>(0xcd9e8d57u));
  for (int64_t g = 0; g < groups; g++) {
    alignas(64) uint32_t c0[kLanes], c1[kLanes];
    for (int l = 0; l < kLanes; l++) {
      const uint64_t c = ctr0 + static_cast<uint64_t>(g * kLanes + l);  // wrapping, as one block at a time
      c0[l] = static_cast<uint32_t>(c);
      c1[l] = static_cast<uint32_t>(c >> 32);
    }
    __m512i a0 = _mm512_load_si512(c0), a1 = _mm512_load_si512(c1);
    __m512i a2 = _mm512_set1_epi32(static_cast<int>(s0)), a3 = _mm512_set1_epi32(static_cast<int>(s1));
    uint32_t r0 = k0, r1 = k1;
    for (int r = 0; r < 10; r++) {
      if (r > 0) {
        r0 += 0x9e3779b9u;
        r1 += 0xbb67ae85u;
      }
      const __m512i e0 = _mm512_mul_epu32(a0, M0), o0 = _mm512_mul_epu32(_mm512_srli_epi64(a0, 32), M0);
      const __m512i e1 = _mm512_mul_epu32(a2, M1), o1 = _mm512_mul_epu32(_mm512_srli_epi64(a2, 32), M1);
      const __m512i hi0 = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(e0, 32), o0);
      const __m512i lo0 = _mm512_mask_blend_epi32(0xAAAA, e0, _mm512_slli_epi64(o0, 32));
      const __m512i hi1 = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(e1, 32), o1);
      const __m512i lo1 = _mm512_mask_blend_epi32(0xAAAA, e1, _mm512_slli_epi64(o1, 32));
      a0 = _mm512_xor_si512(_mm512_xor_si512(hi1, a1), _mm512_set1_epi32(static_cast<int>(r0)));
      a2 = _mm512_xor_si512(_mm512_xor_si512(hi0, a3), _mm512_set1_epi32(static_cast<int>(r1)));
      a1 = lo1;
      a3 = lo0;
    }
    alignas(64) uint32_t w[4][kLanes];
    _mm512_store_si512(w[0], a0);
    _mm512_store_si512(w[1], a1);
    _mm512_store_si512(w[2], a2);
    _mm512_store_si512(w[3], a3);
    T* o = out + g * 4 * kLanes;
    for (int l = 0; l < kLanes; l++)
      for (int q = 0; q < 4; q++) o[4 * l + q] = static_cast<T>(uniformOf(w[q][l], minval, width));
  }
}
#endif

// out[i] = minval + width·((w >> 8)·2^-24) in double for word skip + i of the range
// (backends/philox.ts), rounded to out's dtype. The first block (which may start at word
// skip > 0) and the last partial group go one block at a time, the whole groups of kLanes
// blocks between them, on AVX-512, through uniformGroupsAvx512.
int kRandomUniform(Desc& d) {
  const Buf out = readBuf(d);
  const uint32_t k0 = static_cast<uint32_t>(d.i64()), k1 = static_cast<uint32_t>(d.i64());
  const uint32_t lo = static_cast<uint32_t>(d.i64()), hi = static_cast<uint32_t>(d.i64());
  const uint32_t s0 = static_cast<uint32_t>(d.i64()), s1 = static_cast<uint32_t>(d.i64());
  const int skip = static_cast<int>(d.i64());
  const double minval = d.num(), width = d.num();
  const uint64_t start = (static_cast<uint64_t>(hi) << 32) | lo;
  int64_t i = 0;
  uint64_t j = 0;
  auto oneBlock = [&]() {
    const uint64_t ctr = start + j;  // the lower 64 bits advance, wrapping
    uint32_t w[4] = {static_cast<uint32_t>(ctr), static_cast<uint32_t>(ctr >> 32), s0, s1};
    philox(w, k0, k1);
    for (int l = j == 0 ? skip : 0; l < 4 && i < out.size; l++, i++) {
      const double v = uniformOf(w[l], minval, width);
      if (out.dtype == F32) out.as<float>()[i] = static_cast<float>(v);
      else out.as<double>()[i] = v;
    }
    j++;
  };
  if (skip > 0 && i < out.size) oneBlock();
#ifdef HEBB_PHILOX_AVX512
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  const int64_t groups = avx512 ? (out.size - i) / (4 * kLanes) : 0;
  if (groups > 0) {
    if (out.dtype == F32) uniformGroupsAvx512(out.as<float>() + i, start + j, groups, k0, k1, s0, s1, minval, width);
    else uniformGroupsAvx512(out.as<double>() + i, start + j, groups, k0, k1, s0, s1, minval, width);
    i += groups * 4 * kLanes;
    j += static_cast<uint64_t>(groups * kLanes);
  }
#endif
  while (i < out.size) oneBlock();
  return 0;
}

}  // namespace hebb
