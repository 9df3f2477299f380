// Shared pieces of the native backend's kernels: dtype codes, the call descriptor the
// TypeScript side fills (src/backends/native/descriptor.ts), strided views and the iterator
// that walks a view in row-major order. Every kernel reads its operands from the descriptor,
// so a call from JavaScript carries no objects (docs/NATIVE.md, "Per-call overhead").
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace hebb {

// Must match DTYPE_CODE in src/backends/wasm/codes.ts (both backends use the same codes).
enum DType : int { F32 = 0, I32 = 1, BOOL = 2, F64 = 3 };

inline int64_t dtypeBytes(int d) { return d == F64 ? 8 : d == BOOL ? 1 : 4; }

// Elements per chunk of the chunked kernels: small enough that a fused program's values stay
// in L1/L2, large enough that each instruction's loop amortizes its dispatch.
constexpr int64_t CHUNK = 256;
constexpr int MAX_RANK = 32;

// Sequential reader over the Float64Array descriptor shared with JavaScript.
struct Desc {
  const double* d;
  int64_t at = 0;
  explicit Desc(const double* p) : d(p) {}
  double num() { return d[at++]; }
  int64_t i64() { return static_cast<int64_t>(d[at++]); }
  char* ptr() { return reinterpret_cast<char*>(static_cast<uintptr_t>(d[at++])); }
};

// A strided view, its dimensions already collapsed (adjacent dimensions that step through
// memory as one are merged, size-1 dimensions dropped), so the common layouts walk one or two
// dimensions. `base` points at the view's first element.
struct View {
  char* base = nullptr;
  int dtype = F32;
  int rank = 0;  // after collapsing
  int64_t size = 1;
  int64_t shape[MAX_RANK];
  int64_t strides[MAX_RANK];
  // The original (uncollapsed) shape and strides, for kernels that index dimensions.
  int origRank = 0;
  int64_t oshape[MAX_RANK];
  int64_t ostrides[MAX_RANK];

  bool dense() const { return rank == 0 || (rank == 1 && strides[0] == 1); }
  bool scalar() const { return rank == 0 || (rank == 1 && strides[0] == 0); }
  template <typename T> T* at(int64_t off) const { return reinterpret_cast<T*>(base) + off; }
};

// Descriptor layout of a view: ptr, dtype, offset, rank, shape[rank], strides[rank].
View readView(Desc& d);

// An output buffer: ptr, dtype, size.
struct Buf {
  char* ptr;
  int dtype;
  int64_t size;
  template <typename T> T* as() const { return reinterpret_cast<T*>(ptr); }
};
Buf readBuf(Desc& d);

// Walks a view's elements in row-major order, a segment (a run along the innermost collapsed
// dimension) at a time: f(offset, count, stride) with offset in elements from base.
struct Cursor {
  const View* v;
  int64_t idx[MAX_RANK] = {0};
  int64_t off = 0;
  explicit Cursor(const View& view) : v(&view) {}

  template <typename F> void walk(int64_t len, F&& f) {
    if (v->rank == 0) {
      f(int64_t(0), len, int64_t(0));
      return;
    }
    const int last = v->rank - 1;
    const int64_t s = v->strides[last];
    while (len > 0) {
      int64_t m = v->shape[last] - idx[last];
      if (m > len) m = len;
      f(off, m, s);
      len -= m;
      idx[last] += m;
      off += m * s;
      if (idx[last] == v->shape[last]) {
        off -= idx[last] * s;
        idx[last] = 0;
        for (int dd = last - 1; dd >= 0; dd--) {
          if (++idx[dd] < v->shape[dd]) {
            off += v->strides[dd];
            break;
          }
          off -= (idx[dd] - 1) * v->strides[dd];
          idx[dd] = 0;
        }
      }
    }
  }
};

// Reads a view of element type S in order as values of type T (converted), into dst.
template <typename S, typename T> inline void gatherAs(Cursor& c, T* dst, int64_t len) {
  const S* base = c.v->template at<S>(0);
  c.walk(len, [&](int64_t off, int64_t m, int64_t s) {
    const S* p = base + off;
    if (s == 1) for (int64_t j = 0; j < m; j++) dst[j] = static_cast<T>(p[j]);
    else if (s == 0) { const T x = static_cast<T>(p[0]); for (int64_t j = 0; j < m; j++) dst[j] = x; }
    else for (int64_t j = 0; j < m; j++) dst[j] = static_cast<T>(p[j * s]);
    dst += m;
  });
}

// Any dtype's view read as doubles (exact for every dtype).
void gatherDouble(Cursor& c, double* dst, int64_t len);

// Same-type operand of a chunked kernel: hands out `len` consecutive values per call, pointing
// into the buffer when the view is dense, filling a scratch chunk once for a broadcast scalar,
// and gathering otherwise.
template <typename T> struct Operand {
  Cursor cur;
  T scratch[CHUNK];
  int64_t pos = 0;
  bool isDense, isScalar, filled = false;
  explicit Operand(const View& v) : cur(v), isDense(v.dense() && v.rank != 0), isScalar(v.scalar()) {}
  const T* next(int64_t len) {
    if (isDense) {
      const T* p = cur.v->template at<T>(pos);
      pos += len;
      return p;
    }
    if (isScalar) {
      if (!filled) {
        const T x = *cur.v->template at<T>(0);
        for (int64_t j = 0; j < CHUNK; j++) scratch[j] = x;
        filled = true;
      }
      return scratch;
    }
    gatherAs<T, T>(cur, scratch, len);
    return scratch;
  }
};

// JavaScript's stores into typed arrays, which the cpu backend's results go through: ToInt32
// (wrap modulo 2^32, NaN and infinities to 0) and ToUint8 (modulo 2^8).
inline int32_t jsToInt32(double v) {
  if (!std::isfinite(v)) return 0;
  double t = std::trunc(v);
  double m = std::fmod(t, 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(m));
}
inline uint8_t jsToUint8(double v) { return static_cast<uint8_t>(static_cast<uint32_t>(jsToInt32(v)) & 0xff); }

// Stores a double into an element of dtype `dt` as a typed-array store would.
inline void storeDouble(const Buf& b, int64_t i, double v) {
  switch (b.dtype) {
    case F32: b.as<float>()[i] = static_cast<float>(v); break;
    case F64: b.as<double>()[i] = v; break;
    case I32: b.as<int32_t>()[i] = jsToInt32(v); break;
    default: b.as<uint8_t>()[i] = jsToUint8(v); break;
  }
}

}  // namespace hebb
