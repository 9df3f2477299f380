// Softmax, its gradient and sparse cross-entropy (+ gradient) over rows, the cpu backend's
// definitions (cpu/softmax.ts) step for step: every elementary result rounded to the dtype
// (float arithmetic in T is exactly that rounding), exp and log through double, sums from
// column 0.
#include <algorithm>
#include <cmath>
#include <vector>
#include "kernels.h"
#include "threadpool.h"

namespace hebb {

template <typename T> struct Rows {
  Cursor c;
  std::vector<T> row;
  Rows(const View& v, int64_t cols) : c(v), row(static_cast<size_t>(cols)) {}
  T* next() {
    if (!row.empty()) gatherAs<T, T>(c, row.data(), static_cast<int64_t>(row.size()));
    return row.data();
  }
};

// The row's max (NaN if any is NaN), 0 when infinite.
template <typename T> static T shiftOf(const T* r, int64_t n) {
  T m = r[0];
  for (int64_t j = 0; j < n; j++) if (r[j] > m || r[j] != r[j]) m = r[j];
  return (std::isfinite(m) || m != m) ? m : T(0);
}

// e[j] = exp(x[j] − shift); returns Σ e in T, from column 0.
template <typename T> static T expRow(const T* r, int64_t n, T* e) {
  const T m = shiftOf(r, n);
  T s = 0;
  for (int64_t j = 0; j < n; j++) e[j] = static_cast<T>(std::exp(static_cast<double>(r[j] - m)));
  for (int64_t j = 0; j < n; j++) s = s + e[j];
  return s;
}

static int64_t lastDim(const View& v) { return v.origRank == 0 ? 1 : v.oshape[v.origRank - 1]; }

template <typename T> static inline void softmaxRow(const T* row, int64_t cols, T* o) {
  const T s = expRow(row, cols, o);
  for (int64_t j = 0; j < cols; j++) o[j] = o[j] / s;
}

// Elements of exp a chunk of rows should hold at least before the rows are split over threads
// (~5 ns an exp): predict's [1024, 10] is two chunks, a training batch's [32, 10] one.
constexpr int64_t kSoftmaxGrain = 4096;

template <typename T> static void softmaxT(const View& x, const Buf& out) {
  const int64_t cols = lastDim(x);
  if (out.size == 0 || cols == 0) return;
  const int64_t n = out.size / cols;
  T* o = out.as<T>();
  if (x.dense()) {
    // Rows in place, each on one thread (the same arithmetic in the same order as below).
    const T* base = x.at<T>(0);
    parallelFor(n, std::max<int64_t>(1, kSoftmaxGrain / cols), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; r++) softmaxRow(base + r * cols, cols, o + r * cols);
    });
    return;
  }
  Rows<T> rows(x, cols);
  for (int64_t r = 0; r < n; r++, o += cols) softmaxRow(rows.next(), cols, o);
}

int kSoftmax(Desc& d) {
  const View x = readView(d);
  const Buf out = readBuf(d);
  if (out.dtype == F32) softmaxT<float>(x, out);
  else softmaxT<double>(x, out);
  return 0;
}

template <typename T> static void softmaxGradT(const View& dyv, const View& yv, const Buf& dx) {
  const int64_t cols = lastDim(yv);
  if (dx.size == 0 || cols == 0) return;
  Rows<T> gs(dyv, cols), ps(yv, cols);
  T* o = dx.as<T>();
  for (int64_t r = 0; r < dx.size / cols; r++, o += cols) {
    const T* g = gs.next();
    const T* p = ps.next();
    T dot = 0;
    for (int64_t j = 0; j < cols; j++) dot = dot + g[j] * p[j];
    for (int64_t j = 0; j < cols; j++) o[j] = p[j] * (g[j] - dot);
  }
}

int kSoftmaxGrad(Desc& d) {
  const View dy = readView(d);
  const View y = readView(d);
  const Buf dx = readBuf(d);
  if (dx.dtype == F32) softmaxGradT<float>(dy, y, dx);
  else softmaxGradT<double>(dy, y, dx);
  return 0;
}

static std::vector<double> readAll(const View& v, int64_t n) {
  std::vector<double> out(static_cast<size_t>(n));
  Cursor c(v);
  if (n > 0) gatherDouble(c, out.data(), n);
  return out;
}

template <typename T> static void xentT(const View& pv, const View& lv, const Buf& out, bool logits, double lo, double hi) {
  const int64_t cols = lastDim(pv);
  if (out.size == 0) return;
  const std::vector<double> labels = readAll(lv, out.size);
  Rows<T> rows(pv, cols);
  std::vector<T> e(static_cast<size_t>(cols));
  const T flo = static_cast<T>(lo), fhi = static_cast<T>(hi);
  T* o = out.as<T>();
  for (int64_t r = 0; r < out.size; r++) {
    const T* row = rows.next();
    const double label = labels[r];
    // The host checks the ids; a stray one gives NaN, never garbage.
    if (!(label >= 0 && label < static_cast<double>(cols))) {
      o[r] = NAN;
      continue;
    }
    const int64_t L = static_cast<int64_t>(label);
    if (logits) {
      const T s = expRow(row, cols, e.data());
      o[r] = static_cast<T>(std::log(static_cast<double>(s))) - (row[L] - shiftOf(row, cols));
    } else {
      T s = 0;
      for (int64_t j = 0; j < cols; j++) s = s + row[j];
      T q = row[L] / s;
      if (q > fhi) q = fhi;
      else if (q < flo) q = flo;
      o[r] = static_cast<T>(-std::log(static_cast<double>(q)));
    }
  }
}

int kSparseXent(Desc& d) {
  const View p = readView(d);
  const View labels = readView(d);
  const Buf out = readBuf(d);
  const bool logits = d.i64() != 0;
  const double lo = d.num(), hi = d.num();
  if (out.dtype == F32) xentT<float>(p, labels, out, logits, lo, hi);
  else xentT<double>(p, labels, out, logits, lo, hi);
  return 0;
}

template <typename T> static void xentGradT(const View& dlv, const View& pv, const View& lv, const Buf& dp, bool logits, double lo, double hi) {
  const int64_t cols = lastDim(pv);
  if (dp.size == 0 || cols == 0) return;
  const int64_t rowsN = dp.size / cols;
  const std::vector<double> labels = readAll(lv, rowsN);
  const std::vector<double> dl = readAll(dlv, rowsN);
  Rows<T> rows(pv, cols);
  std::vector<T> e(static_cast<size_t>(cols));
  const T flo = static_cast<T>(lo), fhi = static_cast<T>(hi);
  T* o = dp.as<T>();
  for (int64_t r = 0; r < rowsN; r++, o += cols) {
    const T* row = rows.next();
    const double label = labels[r];
    const T g = static_cast<T>(dl[r]);
    if (!(label >= 0 && label < static_cast<double>(cols))) {
      for (int64_t j = 0; j < cols; j++) o[j] = NAN;
      continue;
    }
    const int64_t L = static_cast<int64_t>(label);
    if (logits) {
      const T s = expRow(row, cols, e.data());
      for (int64_t j = 0; j < cols; j++) o[j] = g * (e[j] / s - (j == L ? T(1) : T(0)));
    } else {
      T s = 0;
      for (int64_t j = 0; j < cols; j++) s = s + row[j];
      const T py = row[L];
      const T q = py / s;
      const T gq = (!(q > fhi) && !(q < flo)) ? -g / q : T(0);
      const T tail = py / (s * s);
      const T inv = T(1) / s;
      for (int64_t j = 0; j < cols; j++) o[j] = gq * ((j == L ? inv : T(0)) - tail);
    }
  }
}

int kSparseXentGrad(Desc& d) {
  const View dl = readView(d);
  const View p = readView(d);
  const View labels = readView(d);
  const Buf dp = readBuf(d);
  const bool logits = d.i64() != 0;
  const double lo = d.num(), hi = d.num();
  if (dp.dtype == F32) xentGradT<float>(dl, p, labels, dp, logits, lo, hi);
  else xentGradT<double>(dl, p, labels, dp, logits, lo, hi);
  return 0;
}

}  // namespace hebb
