// GFLOP/s of the native sgemm on the book's MLP shapes (784 -> 300 -> 100 -> 10), with the
// operand layouts the Dense layer really passes: forward x·W (row-major both), the weight
// gradient x^T·dy (A a transposed view: row stride 1) and the input gradient dy·W^T (B a
// transposed view). bench_openblas.py measures OpenBLAS on the same list, the same way.
//
//   build/bench_gemm [--kernel auto|avx512|avx512:8x48|avx512:6x64|avx2|portable]
//                    [--threads N] [--samples 7] [--min-time 0.15] [--only name,name]
// One JSON object per line, like ../shared/anchors/bench_sgemm.py: median/min/max GFLOP/s
// over `samples` timings of `inner` back-to-back calls, inner doubled until a timing lasts
// min-time seconds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gemm.h"
#include "gemm_kernels.h"
#include "threadpool.h"
#include "bench_shapes.h"

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string kernel = "auto", only;
  int threads = 1, samples = 7;
  double minTime = 0.15;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--kernel") kernel = v;
    else if (k == "--threads") threads = std::atoi(v.c_str());
    else if (k == "--samples") samples = std::atoi(v.c_str());
    else if (k == "--min-time") minTime = std::atof(v.c_str());
    else if (k == "--only") only = "," + v + ",";
    else {
      std::fprintf(stderr, "bench_gemm: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (!hebb::gemmSelectKernel(kernel.c_str())) {
    std::fprintf(stderr, "bench_gemm: kernel %s is unknown or not supported by this CPU\n", kernel.c_str());
    return 2;
  }
  hebb::setPoolThreads(threads);
  std::printf("{\"lib\": \"hebb\", \"kernel\": \"%s\", \"threads\": %d}\n", kernel.c_str(), threads);
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  for (const BenchShape& s : kBenchShapes) {
    if (!only.empty() && only.find("," + std::string(s.name) + ",") == std::string::npos) continue;
    std::vector<float> A(static_cast<size_t>(s.m * s.k)), B(static_cast<size_t>(s.k * s.n)), C(static_cast<size_t>(s.m * s.n));
    for (auto& x : A) x = u(rng);
    for (auto& x : B) x = u(rng);
    // A stored as its transpose (k rows of m) has row stride 1; likewise B.
    const int64_t rsa = s.transA ? 1 : s.k, csa = s.transA ? s.m : 1;
    const int64_t rsb = s.transB ? 1 : s.n, csb = s.transB ? s.k : 1;
    auto f = [&] { hebb::sgemm(1, s.m, s.n, s.k, A.data(), 0, rsa, csa, B.data(), 0, rsb, csb, C.data()); };
    for (int i = 0; i < 3; i++) f();
    int64_t inner = 1;
    for (;;) {
      double t0 = now();
      for (int64_t i = 0; i < inner; i++) f();
      if (now() - t0 >= minTime) break;
      inner *= 2;
    }
    std::vector<double> g;
    const double flop = 2.0 * s.m * s.n * s.k;
    for (int r = 0; r < samples; r++) {
      double t0 = now();
      for (int64_t i = 0; i < inner; i++) f();
      g.push_back(flop * inner / (now() - t0) / 1e9);
    }
    std::sort(g.begin(), g.end());
    double med = g[g.size() / 2];
    std::printf("{\"lib\": \"hebb\", \"kernel\": \"%s\", \"threads\": %d, \"shape\": \"%s\", \"M\": %lld, \"K\": %lld, "
                "\"N\": %lld, \"gflops_median\": %.1f, \"gflops_min\": %.1f, \"gflops_max\": %.1f, "
                "\"us_per_call_median\": %.2f, \"inner\": %lld}\n",
                hebb::gemmKernelName(), threads, s.name, (long long)s.m, (long long)s.k, (long long)s.n, med, g.front(),
                g.back(), flop / med / 1e3, (long long)inner);
    std::fflush(stdout);
  }
  return 0;
}
