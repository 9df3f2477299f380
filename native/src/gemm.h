// The native backend's matrix products (native/src/gemm*.cc). One entry point per dtype, for
// the Backend.matmul contract (src/backends/backend.ts): batched, operands as strided views, the
// output contiguous. The kernel behind it (AVX-512, AVX2+FMA or portable) is chosen once at run
// time from the CPU; gemmKernelName() says which, for benchmarks and the backend's description.
#pragma once
#include <cstdint>

namespace hebb {

// C[b] = A[b] · B[b] for b in [0, batch). Element (i, p) of A[b] is at
// a[b*bsa + i*rsa + p*csa], element (p, j) of B[b] at b[b*bsb + p*rsb + j*csb] (strides in
// elements; a batch stride of 0 broadcasts one matrix over the batch). C is row-major and
// contiguous: element (b, i, j) at c[(b*m + i)*n + j]. k == 0 writes zeros.
// An elementwise pass over C run by the product itself (Backend.matmulFused): fn(ctx, c, ldc,
// i0, i1, j0, j1) for a block of C's rows [i0, i1) and columns [j0, j1) as soon as every
// element of the block is final, on the thread that computed it and while the block is still
// in its cache. Every element is passed exactly once; fn may rewrite the block in place.
struct GemmEpilogue {
  void (*fn)(const void* ctx, float* c, int64_t ldc, int64_t i0, int64_t i1, int64_t j0, int64_t j1);
  const void* ctx;
};

void sgemm(int64_t batch, int64_t m, int64_t n, int64_t k,
           const float* a, int64_t bsa, int64_t rsa, int64_t csa,
           const float* b, int64_t bsb, int64_t rsb, int64_t csb,
           float* c, const GemmEpilogue* epilogue = nullptr);

void dgemm(int64_t batch, int64_t m, int64_t n, int64_t k,
           const double* a, int64_t bsa, int64_t rsa, int64_t csa,
           const double* b, int64_t bsb, int64_t rsb, int64_t csb,
           double* c);

// "avx512", "avx2" or "portable": the sgemm kernel this process uses.
const char* gemmKernelName();

}  // namespace hebb
