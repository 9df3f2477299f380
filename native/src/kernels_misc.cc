// matmul (through gemm.h, whichever kernel the CPU runs) and the Philox uniforms.
#include "gemm.h"
#include "kernels.h"

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

// out[i] = minval + width·((w >> 8)·2^-24) in double for word skip + i of the range
// (backends/philox.ts), rounded to out's dtype.
int kRandomUniform(Desc& d) {
  const Buf out = readBuf(d);
  const uint32_t k0 = static_cast<uint32_t>(d.i64()), k1 = static_cast<uint32_t>(d.i64());
  const uint32_t lo = static_cast<uint32_t>(d.i64()), hi = static_cast<uint32_t>(d.i64());
  const uint32_t s0 = static_cast<uint32_t>(d.i64()), s1 = static_cast<uint32_t>(d.i64());
  const int skip = static_cast<int>(d.i64());
  const double minval = d.num(), width = d.num();
  const uint64_t start = (static_cast<uint64_t>(hi) << 32) | lo;
  int64_t i = 0;
  for (uint64_t j = 0; i < out.size; j++) {
    const uint64_t ctr = start + j;  // the lower 64 bits advance, wrapping
    uint32_t w[4] = {static_cast<uint32_t>(ctr), static_cast<uint32_t>(ctr >> 32), s0, s1};
    philox(w, k0, k1);
    for (int l = j == 0 ? skip : 0; l < 4 && i < out.size; l++, i++) {
      const double v = minval + width * (static_cast<double>(w[l] >> 8) * (1.0 / 16777216.0));
      if (out.dtype == F32) out.as<float>()[i] = static_cast<float>(v);
      else out.as<double>()[i] = v;
    }
  }
  return 0;
}

}  // namespace hebb
