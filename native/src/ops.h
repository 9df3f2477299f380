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

// One element of a unary op on float or double: the single definition that the unary kernels'
// loops (applyUnary), the fused interpreter and the generated fused kernels (fused_codegen.ts)
// all inline, with `op` a constant there, so the switch folds away and simple ops vectorize.
template <typename T> HEBB_ALWAYS_INLINE inline T unaryT(int op, T x) {
  switch (op) {
    case U_NEG: return -x;
    case U_ABS: return std::fabs(x);
    case U_SIGN: return x > 0 ? T(1) : x < 0 ? T(-1) : x == 0 ? T(0) : x;
    case U_SQRT: return std::sqrt(x);
    case U_FLOOR: return std::floor(x);
    case U_NOT: return x == 0 ? T(1) : T(0);
    case U_EXP: return static_cast<T>(std::exp(static_cast<double>(x)));
    case U_LOG: return static_cast<T>(std::log(static_cast<double>(x)));
    case U_LOG1P: return static_cast<T>(std::log1p(static_cast<double>(x)));
    case U_EXPM1: return static_cast<T>(std::expm1(static_cast<double>(x)));
    case U_TANH: return static_cast<T>(std::tanh(static_cast<double>(x)));
    case U_ERF: return static_cast<T>(std::erf(static_cast<double>(x)));
    default: return static_cast<T>(sigmoidD(static_cast<double>(x)));
  }
}

// out[j] = op(a[j]) for float or double, one loop per op (a constant op in each) so they vectorize.
template <typename T> HEBB_ALWAYS_INLINE inline void applyUnary(int op, T* o, const T* a, int64_t n) {
#define HEBB_UNARY_CASE(OP) case OP: for (int64_t j = 0; j < n; j++) o[j] = unaryT<T>(OP, a[j]); return;
  switch (op) {
    HEBB_UNARY_CASE(U_NEG) HEBB_UNARY_CASE(U_ABS) HEBB_UNARY_CASE(U_SIGN) HEBB_UNARY_CASE(U_SQRT)
    HEBB_UNARY_CASE(U_FLOOR) HEBB_UNARY_CASE(U_NOT) HEBB_UNARY_CASE(U_EXP) HEBB_UNARY_CASE(U_LOG)
    HEBB_UNARY_CASE(U_LOG1P) HEBB_UNARY_CASE(U_EXPM1) HEBB_UNARY_CASE(U_TANH) HEBB_UNARY_CASE(U_ERF)
    default: for (int64_t j = 0; j < n; j++) o[j] = unaryT<T>(U_SIGMOID, a[j]); return;
  }
#undef HEBB_UNARY_CASE
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

// One element of a binary op on float or double (comparisons and logical ops give T(0)/T(1)): the
// single definition the binary kernels, the fused interpreter and generated fused kernels inline.
template <typename T> HEBB_ALWAYS_INLINE inline T binaryT(int op, T a, T b) {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_POW: return static_cast<T>(powD(a, b));
    case B_MAX: return (a >= b || a != a) ? a : b;
    case B_MIN: return (a <= b || a != a) ? a : b;
    case B_EQ: return a == b ? T(1) : T(0);
    case B_NE: return a != b ? T(1) : T(0);
    case B_LT: return a < b ? T(1) : T(0);
    case B_LE: return a <= b ? T(1) : T(0);
    case B_GT: return a > b ? T(1) : T(0);
    case B_GE: return a >= b ? T(1) : T(0);
    case B_AND: return (a != 0 && a == a && b != 0 && b == b) ? T(1) : T(0);
    default: return ((a != 0 && a == a) || (b != 0 && b == b)) ? T(1) : T(0);
  }
}

// out[j] = op(a[j], b[j]) for float or double; comparisons and logical ops write O(0)/O(1).
template <typename T, typename O> HEBB_ALWAYS_INLINE inline void applyBinary(int op, O* o, const T* a, const T* b, int64_t n) {
#define HEBB_BINARY_CASE(OP) case OP: for (int64_t j = 0; j < n; j++) o[j] = static_cast<O>(binaryT<T>(OP, a[j], b[j])); return;
  switch (op) {
    HEBB_BINARY_CASE(B_ADD) HEBB_BINARY_CASE(B_SUB) HEBB_BINARY_CASE(B_MUL) HEBB_BINARY_CASE(B_DIV)
    HEBB_BINARY_CASE(B_POW) HEBB_BINARY_CASE(B_MAX) HEBB_BINARY_CASE(B_MIN) HEBB_BINARY_CASE(B_EQ)
    HEBB_BINARY_CASE(B_NE) HEBB_BINARY_CASE(B_LT) HEBB_BINARY_CASE(B_LE) HEBB_BINARY_CASE(B_GT)
    HEBB_BINARY_CASE(B_GE) HEBB_BINARY_CASE(B_AND)
    default: for (int64_t j = 0; j < n; j++) o[j] = static_cast<O>(binaryT<T>(B_OR, a[j], b[j])); return;
  }
#undef HEBB_BINARY_CASE
}

}  // namespace hebb
