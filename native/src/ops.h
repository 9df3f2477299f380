// The elementwise ops, one definition each, used by the unary/binary kernels and by the fused
// program interpreter alike: a fused program then gives the composed kernels' results bit for
// bit (the conformance suite checks it). Float32 arithmetic is done in float (exactly what the
// cpu backend's double arithmetic rounded to float32 gives: add, sub, mul, div and sqrt of
// floats are correctly rounded either way); transcendental functions go through double, as the
// cpu backend computes them, and round once. The build keeps -ffp-contract=off so no multiply
// and add are fused into an FMA that the other kernels would not make.
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>

// The fused kernel's interpreter (fused.cc) is compiled once per ISA (target_clones); its loops
// are these functions, so they are inlined into each clone rather than called at the baseline ISA.
#if defined(__GNUC__)
#define HEBB_ALWAYS_INLINE __attribute__((always_inline))
#else
#define HEBB_ALWAYS_INLINE
#endif

namespace hebb {

// Must match UNARY_CODE / BINARY_CODE in src/backends/wasm/codes.ts (REDUCE_CODE: kernels_reduce.cc).
enum UnaryCode : int { U_NEG, U_ABS, U_SIGN, U_EXP, U_LOG, U_LOG1P, U_EXPM1, U_SQRT, U_TANH, U_ERF, U_SIGMOID, U_FLOOR, U_NOT };
enum BinaryCode : int {
  B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAX, B_MIN, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE, B_AND, B_OR
};

inline bool isComparison(int op) { return op >= B_EQ; }

// Sigmoid as the cpu backend writes it: two branches keep exp's argument non-positive.
inline double sigmoidD(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

inline double signD(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : std::numeric_limits<double>::quiet_NaN(); }

// A unary op on doubles (the reference form; int32 and bool kernels use it, then store).
inline double unaryD(int op, double x) {
  switch (op) {
    case U_NEG: return -x;
    case U_ABS: return std::fabs(x);
    case U_SIGN: return signD(x);
    case U_EXP: return std::exp(x);
    case U_LOG: return std::log(x);
    case U_LOG1P: return std::log1p(x);
    case U_EXPM1: return std::expm1(x);
    case U_SQRT: return std::sqrt(x);
    case U_TANH: return std::tanh(x);
    case U_ERF: return std::erf(x);
    case U_SIGMOID: return sigmoidD(x);
    case U_FLOOR: return std::floor(x);
    default: return x == 0 ? 1.0 : 0.0;  // logicalNot
  }
}

// out[j] = op(a[j]) for float or double, each op's loop written out so the simple ones vectorize.
template <typename T> HEBB_ALWAYS_INLINE inline void applyUnary(int op, T* o, const T* a, int64_t n) {
  switch (op) {
    case U_NEG: for (int64_t j = 0; j < n; j++) o[j] = -a[j]; return;
    case U_ABS: for (int64_t j = 0; j < n; j++) o[j] = std::fabs(a[j]); return;
    case U_SIGN:
      for (int64_t j = 0; j < n; j++) { const T x = a[j]; o[j] = x > 0 ? T(1) : x < 0 ? T(-1) : x == 0 ? T(0) : x; }
      return;
    case U_SQRT: for (int64_t j = 0; j < n; j++) o[j] = std::sqrt(a[j]); return;
    case U_FLOOR: for (int64_t j = 0; j < n; j++) o[j] = std::floor(a[j]); return;
    case U_NOT: for (int64_t j = 0; j < n; j++) o[j] = a[j] == 0 ? T(1) : T(0); return;
    case U_EXP: for (int64_t j = 0; j < n; j++) o[j] = static_cast<T>(std::exp(static_cast<double>(a[j]))); return;
    case U_LOG: for (int64_t j = 0; j < n; j++) o[j] = static_cast<T>(std::log(static_cast<double>(a[j]))); return;
    case U_LOG1P: for (int64_t j = 0; j < n; j++) o[j] = static_cast<T>(std::log1p(static_cast<double>(a[j]))); return;
    case U_EXPM1: for (int64_t j = 0; j < n; j++) o[j] = static_cast<T>(std::expm1(static_cast<double>(a[j]))); return;
    case U_TANH: for (int64_t j = 0; j < n; j++) o[j] = static_cast<T>(std::tanh(static_cast<double>(a[j]))); return;
    case U_ERF: for (int64_t j = 0; j < n; j++) o[j] = static_cast<T>(std::erf(static_cast<double>(a[j]))); return;
    default: for (int64_t j = 0; j < n; j++) o[j] = static_cast<T>(sigmoidD(static_cast<double>(a[j]))); return;
  }
}

// IEEE 754's pow (C99's, NumPy's): pow(1, NaN) = 1 and pow(-1, ±inf) = 1, as the cpu backend's powFloat.
inline double powD(double a, double b) { return std::pow(a, b); }

// int32 power by repeated squaring with wrapping products (the cpu backend's powInt).
inline int32_t powI32(int32_t a, int32_t b) {
  if (b < 0) return a == 1 ? 1 : a == -1 ? (b % 2 == 0 ? 1 : -1) : 0;
  uint32_t r = 1, base = static_cast<uint32_t>(a);
  for (int64_t e = b; e > 0; e >>= 1) {
    if (e & 1) r *= base;
    base *= base;
  }
  return static_cast<int32_t>(r);
}

// A binary op on doubles (the reference form, for int32 and bool kernels). Comparisons give 0/1.
inline double binaryD(int op, double a, double b) {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_POW: return powD(a, b);
    case B_MAX: return (a >= b || a != a) ? a : b;
    case B_MIN: return (a <= b || a != a) ? a : b;
    case B_EQ: return a == b;
    case B_NE: return a != b;
    case B_LT: return a < b;
    case B_LE: return a <= b;
    case B_GT: return a > b;
    case B_GE: return a >= b;
    // JavaScript truthiness (the cpu backend's `a && b`): 0 and NaN are false.
    case B_AND: return (a != 0 && a == a) && (b != 0 && b == b);
    default: return (a != 0 && a == a) || (b != 0 && b == b);
  }
}

// out[j] = op(a[j], b[j]) for float or double; comparisons and logical ops write T(0)/T(1).
template <typename T, typename O> HEBB_ALWAYS_INLINE inline void applyBinary(int op, O* o, const T* a, const T* b, int64_t n) {
  switch (op) {
    case B_ADD: for (int64_t j = 0; j < n; j++) o[j] = a[j] + b[j]; return;
    case B_SUB: for (int64_t j = 0; j < n; j++) o[j] = a[j] - b[j]; return;
    case B_MUL: for (int64_t j = 0; j < n; j++) o[j] = a[j] * b[j]; return;
    case B_DIV: for (int64_t j = 0; j < n; j++) o[j] = a[j] / b[j]; return;
    case B_POW: for (int64_t j = 0; j < n; j++) o[j] = static_cast<T>(powD(a[j], b[j])); return;
    case B_MAX: for (int64_t j = 0; j < n; j++) { const T x = a[j], y = b[j]; o[j] = (x >= y || x != x) ? x : y; } return;
    case B_MIN: for (int64_t j = 0; j < n; j++) { const T x = a[j], y = b[j]; o[j] = (x <= y || x != x) ? x : y; } return;
    case B_EQ: for (int64_t j = 0; j < n; j++) o[j] = a[j] == b[j] ? O(1) : O(0); return;
    case B_NE: for (int64_t j = 0; j < n; j++) o[j] = a[j] != b[j] ? O(1) : O(0); return;
    case B_LT: for (int64_t j = 0; j < n; j++) o[j] = a[j] < b[j] ? O(1) : O(0); return;
    case B_LE: for (int64_t j = 0; j < n; j++) o[j] = a[j] <= b[j] ? O(1) : O(0); return;
    case B_GT: for (int64_t j = 0; j < n; j++) o[j] = a[j] > b[j] ? O(1) : O(0); return;
    case B_GE: for (int64_t j = 0; j < n; j++) o[j] = a[j] >= b[j] ? O(1) : O(0); return;
    case B_AND: for (int64_t j = 0; j < n; j++) o[j] = (a[j] != 0 && a[j] == a[j] && b[j] != 0 && b[j] == b[j]) ? O(1) : O(0); return;
    default: for (int64_t j = 0; j < n; j++) o[j] = ((a[j] != 0 && a[j] == a[j]) || (b[j] != 0 && b[j] == b[j])) ? O(1) : O(0); return;
  }
}

}  // namespace hebb
