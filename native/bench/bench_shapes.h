// The benchmark's shapes: C[M x N] = A[M x K] · B[K x N] for the book's MLP (784 -> 300 ->
// 100 -> 10) at batch 32 and 256, and predict's batch 1024. transA: A arrives as a transposed
// view (x^T in x^T·dy), transB: B does (W^T in dy·W^T). bench_openblas.py parses this list.
#pragma once
#include <cstdint>

struct BenchShape {
  const char* name;
  int64_t m, k, n;
  bool transA, transB;
};

const BenchShape kBenchShapes[] = {
    {"fwd_b32_784x300", 32, 784, 300, false, false},
    {"fwd_b32_300x100", 32, 300, 100, false, false},
    {"fwd_b32_100x10", 32, 100, 10, false, false},
    {"dW_b32_784x32x300", 784, 32, 300, true, false},
    {"dW_b32_300x32x100", 300, 32, 100, true, false},
    {"dW_b32_100x32x10", 100, 32, 10, true, false},
    {"dX_b32_32x300x784", 32, 300, 784, false, true},
    {"dX_b32_32x100x300", 32, 100, 300, false, true},
    {"dX_b32_32x10x100", 32, 10, 100, false, true},
    {"fwd_b256_784x300", 256, 784, 300, false, false},
    {"fwd_b256_300x100", 256, 300, 100, false, false},
    {"fwd_b256_100x10", 256, 100, 10, false, false},
    {"dW_b256_784x256x300", 784, 256, 300, true, false},
    {"dW_b256_300x256x100", 300, 256, 100, true, false},
    {"dW_b256_100x256x10", 100, 256, 10, true, false},
    {"dX_b256_256x300x784", 256, 300, 784, false, true},
    {"dX_b256_256x100x300", 256, 100, 300, false, true},
    {"dX_b256_256x10x100", 256, 10, 100, false, true},
    {"pred_b1024_784x300", 1024, 784, 300, false, false},
    {"pred_b1024_300x100", 1024, 300, 100, false, false},
    {"pred_b1024_100x10", 1024, 100, 10, false, false},
    {"square1024", 1024, 1024, 1024, false, false},
};
