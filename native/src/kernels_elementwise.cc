// fill, copy, cast, unary, binary and where. Float32 and float64 run typed chunk loops
// (operands dense, broadcast or gathered 256 elements at a time, see Operand); int32 and bool
// go through doubles and JavaScript's typed-array stores, exactly the cpu backend's arithmetic
// (int32 mul and pow are the exceptions it makes too: wrapping products).
#include <algorithm>
#include <vector>
#include "kernels.h"
#include "ops.h"

namespace hebb {

int kFill(Desc& d) {
  const Buf out = readBuf(d);
  const double v = d.num();
  switch (out.dtype) {
    case F32: std::fill_n(out.as<float>(), out.size, static_cast<float>(v)); break;
    case F64: std::fill_n(out.as<double>(), out.size, v); break;
    case I32: std::fill_n(out.as<int32_t>(), out.size, jsToInt32(v)); break;
    default: std::fill_n(out.as<uint8_t>(), out.size, jsToUint8(v)); break;
  }
  return 0;
}

// Copies elements of a fixed width W (the bits, whatever the dtype) from a strided view into
// another, in row-major order of their common shape.
template <typename W> static void copyAs(const View& src, const View& dst) {
  const int64_t n = src.size;
  if (src.dense() && dst.dense()) {
    std::memmove(dst.base, src.base, n * sizeof(W));
    return;
  }
  Cursor sc(src), dc(dst);
  W buf[CHUNK];
  W* dbase = dst.at<W>(0);
  for (int64_t i0 = 0; i0 < n; i0 += CHUNK) {
    const int64_t len = std::min(CHUNK, n - i0);
    gatherAs<W, W>(sc, buf, len);
    const W* p = buf;
    dc.walk(len, [&](int64_t off, int64_t m, int64_t s) {
      W* q = dbase + off;
      for (int64_t j = 0; j < m; j++) q[j * s] = p[j];
      p += m;
    });
  }
}

int kCopy(Desc& d) {
  const View src = readView(d);
  const View dst = readView(d);
  if (src.size == 0) return 0;
  switch (dtypeBytes(src.dtype)) {
    case 8: copyAs<uint64_t>(src, dst); break;
    case 4: copyAs<uint32_t>(src, dst); break;
    default: copyAs<uint8_t>(src, dst); break;
  }
  return 0;
}

// int32 conversion of a float: truncation toward zero, saturating, NaN to 0 (docs/NUMERICS.md).
static inline int32_t saturateI32(double v) {
  if (v != v) return 0;
  if (v >= 2147483647.0) return 2147483647;
  if (v <= -2147483648.0) return -2147483647 - 1;
  return static_cast<int32_t>(v);
}

int kCast(Desc& d) {
  const View x = readView(d);
  const Buf out = readBuf(d);
  Cursor c(x);
  double buf[CHUNK];
  for (int64_t i0 = 0; i0 < out.size; i0 += CHUNK) {
    const int64_t len = std::min(CHUNK, out.size - i0);
    gatherDouble(c, buf, len);
    switch (out.dtype) {
      // Nonzero is true, and NaN is nonzero (NumPy, TensorFlow).
      case BOOL: for (int64_t j = 0; j < len; j++) out.as<uint8_t>()[i0 + j] = buf[j] != 0 ? 1 : 0; break;
      case I32: for (int64_t j = 0; j < len; j++) out.as<int32_t>()[i0 + j] = saturateI32(buf[j]); break;
      case F32: for (int64_t j = 0; j < len; j++) out.as<float>()[i0 + j] = static_cast<float>(buf[j]); break;
      default: for (int64_t j = 0; j < len; j++) out.as<double>()[i0 + j] = buf[j]; break;
    }
  }
  return 0;
}

template <typename T> static void unaryTyped(int op, const View& x, const Buf& out) {
  Operand<T> a(x);
  T* o = out.as<T>();
  for (int64_t i0 = 0; i0 < out.size; i0 += CHUNK) {
    const int64_t len = std::min(CHUNK, out.size - i0);
    applyUnary<T>(op, o + i0, a.next(len), len);
  }
}

int kUnary(Desc& d) {
  const int op = static_cast<int>(d.i64());
  const View x = readView(d);
  const Buf out = readBuf(d);
  if (x.dtype == F32 && out.dtype == F32) unaryTyped<float>(op, x, out);
  else if (x.dtype == F64 && out.dtype == F64) unaryTyped<double>(op, x, out);
  else {
    Cursor c(x);
    double buf[CHUNK];
    for (int64_t i0 = 0; i0 < out.size; i0 += CHUNK) {
      const int64_t len = std::min(CHUNK, out.size - i0);
      gatherDouble(c, buf, len);
      for (int64_t j = 0; j < len; j++) storeDouble(out, i0 + j, unaryD(op, buf[j]));
    }
  }
  return 0;
}

template <typename T> static void binaryTyped(int op, const View& x, const View& y, const Buf& out) {
  Operand<T> a(x), b(y);
  for (int64_t i0 = 0; i0 < out.size; i0 += CHUNK) {
    const int64_t len = std::min(CHUNK, out.size - i0);
    const T* pa = a.next(len);
    const T* pb = b.next(len);
    if (isComparison(op)) applyBinary<T, uint8_t>(op, out.as<uint8_t>() + i0, pa, pb, len);
    else applyBinary<T, T>(op, out.as<T>() + i0, pa, pb, len);
  }
}

int kBinary(Desc& d) {
  const int op = static_cast<int>(d.i64());
  const View x = readView(d);
  const View y = readView(d);
  const Buf out = readBuf(d);
  const bool cmp = isComparison(op);
  if (x.dtype == F32 && y.dtype == F32 && out.dtype == (cmp ? BOOL : F32)) binaryTyped<float>(op, x, y, out);
  else if (x.dtype == F64 && y.dtype == F64 && out.dtype == (cmp ? BOOL : F64)) binaryTyped<double>(op, x, y, out);
  else {
    Cursor ca(x), cb(y);
    double a[CHUNK], b[CHUNK];
    const bool i32 = out.dtype == I32;
    for (int64_t i0 = 0; i0 < out.size; i0 += CHUNK) {
      const int64_t len = std::min(CHUNK, out.size - i0);
      gatherDouble(ca, a, len);
      gatherDouble(cb, b, len);
      if (i32 && op == B_MUL) {
        // A product past 2^53 loses its low bits in double: multiply modulo 2^32 (Math.imul).
        for (int64_t j = 0; j < len; j++)
          out.as<int32_t>()[i0 + j] = static_cast<int32_t>(static_cast<uint32_t>(jsToInt32(a[j])) * static_cast<uint32_t>(jsToInt32(b[j])));
      } else if (i32 && op == B_POW) {
        for (int64_t j = 0; j < len; j++) out.as<int32_t>()[i0 + j] = powI32(jsToInt32(a[j]), jsToInt32(b[j]));
      } else {
        for (int64_t j = 0; j < len; j++) storeDouble(out, i0 + j, binaryD(op, a[j], b[j]));
      }
    }
  }
  return 0;
}

template <typename T> static void whereTyped(const View& cv, const View& av, const View& bv, const Buf& out) {
  Operand<T> a(av), b(bv);
  Cursor cc(cv);
  double c[CHUNK];
  T* o = out.as<T>();
  for (int64_t i0 = 0; i0 < out.size; i0 += CHUNK) {
    const int64_t len = std::min(CHUNK, out.size - i0);
    gatherDouble(cc, c, len);
    const T* pa = a.next(len);
    const T* pb = b.next(len);
    // JavaScript truthiness, as the cpu backend's `c ? a : b` (conditions are bools in practice).
    for (int64_t j = 0; j < len; j++) o[i0 + j] = (c[j] != 0 && c[j] == c[j]) ? pa[j] : pb[j];
  }
}

int kWhere(Desc& d) {
  const View c = readView(d);
  const View a = readView(d);
  const View b = readView(d);
  const Buf out = readBuf(d);
  switch (out.dtype) {
    case F32: whereTyped<float>(c, a, b, out); break;
    case F64: whereTyped<double>(c, a, b, out); break;
    case I32: whereTyped<int32_t>(c, a, b, out); break;
    default: whereTyped<uint8_t>(c, a, b, out); break;
  }
  return 0;
}

}  // namespace hebb
