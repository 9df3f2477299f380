// The portable matrix product: plain loops in i-p-j order (the inner loop runs along a row of B
// and of C, which the compiler vectorizes for whatever the build targets). It is the fallback
// for CPUs without AVX2+FMA and the reference the fast kernels are tested against.
#include "gemm.h"

namespace hebb {

template <typename T>
static void gemmPortable(int64_t batch, int64_t m, int64_t n, int64_t k,
                         const T* a, int64_t bsa, int64_t rsa, int64_t csa,
                         const T* b, int64_t bsb, int64_t rsb, int64_t csb, T* c) {
  for (int64_t bi = 0; bi < batch; bi++) {
    const T* ab = a + bi * bsa;
    const T* bb = b + bi * bsb;
    T* cb = c + bi * m * n;
    for (int64_t i = 0; i < m; i++) {
      T* ci = cb + i * n;
      for (int64_t j = 0; j < n; j++) ci[j] = 0;
      for (int64_t p = 0; p < k; p++) {
        const T av = ab[i * rsa + p * csa];
        const T* bp = bb + p * rsb;
        if (csb == 1) {
          for (int64_t j = 0; j < n; j++) ci[j] += av * bp[j];
        } else {
          for (int64_t j = 0; j < n; j++) ci[j] += av * bp[j * csb];
        }
      }
    }
  }
}

void sgemm(int64_t batch, int64_t m, int64_t n, int64_t k, const float* a, int64_t bsa, int64_t rsa, int64_t csa,
           const float* b, int64_t bsb, int64_t rsb, int64_t csb, float* c) {
  gemmPortable(batch, m, n, k, a, bsa, rsa, csa, b, bsb, rsb, csb, c);
}

void dgemm(int64_t batch, int64_t m, int64_t n, int64_t k, const double* a, int64_t bsa, int64_t rsa, int64_t csa,
           const double* b, int64_t bsb, int64_t rsb, int64_t csb, double* c) {
  gemmPortable(batch, m, n, k, a, bsa, rsa, csa, b, bsb, rsb, csb, c);
}

const char* gemmKernelName() { return "portable"; }

}  // namespace hebb
