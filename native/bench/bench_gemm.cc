// GFLOP/s of the native sgemm on the book's MLP shapes (bench_shapes.h), with the operand
// layouts the Dense layer really passes: forward x·W (both row-major), the weight gradient
// x^T·dy (A a transposed view: row stride 1) and the input gradient dy·W^T (B a transposed view).
//
//   build/bench_gemm [--kernels auto,avx512:14x32,openblas] [--threads N] [--rounds 15]
//                    [--min-time 0.03] [--only name,name]
// A kernel may carry blocking knobs, compared in the same rounds: auto@HEBB_GEMM_PACK_A=1,
// avx512@HEBB_GEMM_KC=256@HEBB_GEMM_SPLIT=n (see docs/NATIVE_GEMM.md).
//
// The machine is shared with other jobs, so the competitors are measured interleaved: for each
// shape, each kernel's inner count is calibrated so one timing lasts min-time seconds, then
// `rounds` rounds time every kernel once in turn; a burst of outside load hits all of them alike.
// `openblas` is OpenBLAS's cblas_sgemm, dlopen'ed from Debian's libopenblas0-pthread (its own
// kernel choice: run with OPENBLAS_CORETYPE unset for its AVX-512 kernel), at the same thread
// count, with transposed operands passed as transposes (no copies), as NumPy passes them.
// One JSON object per kernel and shape: median/max GFLOP/s over the rounds.
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "bench_shapes.h"
#include "gemm.h"
#include "gemm_kernels.h"
#include "threadpool.h"

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

using CblasSgemm = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);
CblasSgemm cblasSgemm = nullptr;
std::string openblasCore;

bool loadOpenblas(int threads) {
  const char* paths[] = {"/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "libopenblas.so.0"};
  for (const char* p : paths) {
    void* h = dlopen(p, RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) continue;
    cblasSgemm = reinterpret_cast<CblasSgemm>(dlsym(h, "cblas_sgemm"));
    auto setThreads = reinterpret_cast<void (*)(int)>(dlsym(h, "openblas_set_num_threads"));
    auto core = reinterpret_cast<char* (*)()>(dlsym(h, "openblas_get_corename"));
    if (cblasSgemm == nullptr || setThreads == nullptr) return false;
    setThreads(threads);
    openblasCore = core != nullptr ? core() : "?";
    return true;
  }
  return false;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string kernelList = "auto,openblas", only;
  int threads = 1, rounds = 15;
  double minTime = 0.03;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--kernels") kernelList = v;
    else if (k == "--threads") threads = std::atoi(v.c_str());
    else if (k == "--rounds") rounds = std::atoi(v.c_str());
    else if (k == "--min-time") minTime = std::atof(v.c_str());
    else if (k == "--only") only = "," + v + ",";
    else {
      std::fprintf(stderr, "bench_gemm: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  std::vector<std::string> kernels = split(kernelList);
  struct Variant {
    std::string kernel;
    std::vector<std::pair<std::string, std::string>> knobs;
  };
  std::map<std::string, Variant> variants;
  for (const std::string& k : kernels) {
    if (k == "openblas") {
      if (!loadOpenblas(threads)) {
        std::fprintf(stderr, "bench_gemm: libopenblas.so.0 not found (apt-get install libopenblas0-pthread)\n");
        return 2;
      }
    } else {
      std::vector<std::string> parts;
      for (size_t i = 0, j; i <= k.size(); i = j + 1) {
        j = k.find('@', i);
        if (j == std::string::npos) j = k.size();
        parts.push_back(k.substr(i, j - i));
      }
      if (!hebb::gemmSelectKernel(parts[0].c_str())) {
        std::fprintf(stderr, "bench_gemm: kernel %s is unknown or not supported by this CPU\n", parts[0].c_str());
        return 2;
      }
      std::vector<std::pair<std::string, std::string>> knobs;
      for (size_t i = 1; i < parts.size(); i++) {
        size_t eq = parts[i].find('=');
        std::string name = parts[i].substr(0, eq), value = eq == std::string::npos ? "" : parts[i].substr(eq + 1);
        if (!hebb::gemmSetTuning(name.c_str(), value.c_str())) {
          std::fprintf(stderr, "bench_gemm: bad knob %s in %s\n", parts[i].c_str(), k.c_str());
          return 2;
        }
        knobs.emplace_back(name, value);
      }
      hebb::gemmSetTuning(nullptr, nullptr);
      variants[k] = {parts[0], knobs};
    }
  }
  hebb::setPoolThreads(threads);
  const char* ct = std::getenv("OPENBLAS_CORETYPE");
  std::printf("{\"threads\": %d, \"kernels\": \"%s\", \"openblas_core\": \"%s\", \"OPENBLAS_CORETYPE\": \"%s\"}\n", threads,
              kernelList.c_str(), openblasCore.c_str(), ct ? ct : "");
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  for (const BenchShape& s : kBenchShapes) {
    if (!only.empty() && only.find("," + std::string(s.name) + ",") == std::string::npos) continue;
    std::vector<float> A(static_cast<size_t>(s.m * s.k)), B(static_cast<size_t>(s.k * s.n)),
        C(static_cast<size_t>(s.m * s.n));
    for (auto& x : A) x = u(rng);
    for (auto& x : B) x = u(rng);
    // A stored as its transpose (k rows of m) has row stride 1; likewise B.
    const int64_t rsa = s.transA ? 1 : s.k, csa = s.transA ? s.m : 1;
    const int64_t rsb = s.transB ? 1 : s.n, csb = s.transB ? s.k : 1;
    std::vector<std::function<void()>> fns;
    for (const std::string& k : kernels) {
      if (k == "openblas") {
        fns.push_back([&] {
          cblasSgemm(101, s.transA ? 112 : 111, s.transB ? 112 : 111, (int)s.m, (int)s.n, (int)s.k, 1.f, A.data(),
                     (int)(s.transA ? s.m : s.k), B.data(), (int)(s.transB ? s.k : s.n), 0.f, C.data(), (int)s.n);
        });
      } else {
        fns.push_back([&] {
          hebb::sgemm(1, s.m, s.n, s.k, A.data(), 0, rsa, csa, B.data(), 0, rsb, csb, C.data());
        });
      }
    }
    const size_t nk = fns.size();
    std::vector<int64_t> inner(nk, 1);
    auto select = [&](size_t q) {
      if (kernels[q] == "openblas") return;
      const Variant& v = variants[kernels[q]];
      hebb::gemmSelectKernel(v.kernel.c_str());
      hebb::gemmSetTuning(nullptr, nullptr);
      for (const auto& kv : v.knobs) hebb::gemmSetTuning(kv.first.c_str(), kv.second.c_str());
    };
    for (size_t q = 0; q < nk; q++) {
      select(q);
      for (int i = 0; i < 3; i++) fns[q]();
      for (;;) {
        double t0 = now();
        for (int64_t i = 0; i < inner[q]; i++) fns[q]();
        if (now() - t0 >= minTime) break;
        inner[q] *= 2;
      }
    }
    const double flop = 2.0 * s.m * s.n * s.k;
    std::vector<std::vector<double>> g(nk);
    for (int r = 0; r < rounds; r++) {
      for (size_t q = 0; q < nk; q++) {
        select(q);
        fns[q]();  // a warm call outside the timing
        double t0 = now();
        for (int64_t i = 0; i < inner[q]; i++) fns[q]();
        g[q].push_back(flop * inner[q] / (now() - t0) / 1e9);
      }
    }
    for (size_t q = 0; q < nk; q++) {
      std::sort(g[q].begin(), g[q].end());
      const double med = g[q][g[q].size() / 2];
      std::printf("{\"kernel\": \"%s\", \"threads\": %d, \"shape\": \"%s\", \"M\": %lld, \"K\": %lld, \"N\": %lld, "
                  "\"gflops_median\": %.1f, \"gflops_max\": %.1f, \"us_per_call_median\": %.2f, \"inner\": %lld}\n",
                  kernels[q].c_str(), threads, s.name, (long long)s.m, (long long)s.k, (long long)s.n, med, g[q].back(),
                  flop / med / 1e3, (long long)inner[q]);
    }
    std::fflush(stdout);
  }
  return 0;
}
