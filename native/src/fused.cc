// The generic fused elementwise kernel (backends/fused_program.ts): the program is defined once
// (kFusedDefine, cached by the TypeScript side per program) and interpreted per call over
// chunks of 256 elements, instruction by instruction, each into its own scratch chunk, with
// the very loops the unary/binary kernels run (ops.h): so each instruction's loop vectorizes,
// and the results equal the composed kernels' bit for bit.
//
// A program that runs often is also compiled (native/fused_compile.ts generates one loop over
// the elements from the same ops.h definitions and builds it with the machine's compiler): a
// compiled variant, per dtype and per which inputs are broadcast scalars or rows (a [cols]
// vector broadcast over the rows: a bias, batch normalization's statistics), replaces the
// interpreter for calls whose inputs are all dense, scalars or rows. It keeps every value in
// registers, where the interpreter stores and reloads each instruction's chunk (an Adam step:
// ~3.5x faster), and gives the same bits, since it inlines the same per-element functions.
#include <dlfcn.h>
#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>
#include "gemm.h"
#include "kernels.h"
#include "ops.h"

namespace hebb {

enum InstrKind : int { I_INPUT, I_PARAM, I_CONST, I_UNARY, I_BINARY, I_WHERE };

struct Instr {
  int kind, op;
  double a;  // input/param index, constant value, or first operand
  int b, c;
};

// A compiled variant: n, the row length cols (n is a multiple of it; 1 when no input is a row),
// the input pointers (a scalar input's points at its one value, a row input's at its cols
// values), the params, the output pointers. The symbol's name changed with the row variants'
// cols argument, so a library built for the old signature is refused, never called wrongly.
using CompiledFn = void (*)(int64_t, int64_t, const void* const*, const double*, void* const*);
constexpr const char* kCompiledSymbol = "hebb_fused_kernel_v2";

struct Program {
  int inputs = 0, params = 0;
  std::vector<Instr> instrs;
  std::vector<int> outputs;
  // By variant (variantKey below): the compiled kernels, the elements run so far without one,
  // and the variants already asked for (each is asked for once).
  std::unordered_map<int64_t, CompiledFn> compiled;
  std::unordered_map<int64_t, int64_t> seen;
  std::unordered_set<int64_t> asked;
};

// kFusedConfig: after how many elements run by the interpreter a variant is asked for (negative:
// never), and whether compiled variants run at all (off: the interpreter runs every call).
static int64_t g_compileAfter = -1;
static bool g_useCompiled = true;
constexpr int kMaxCompiledInputs = 24;
// Variants with row inputs: at most this many inputs, keyed from kRowKeyBase up (see variantKey).
constexpr int kMaxRowInputs = 12;
constexpr int64_t kRowKeyBase = int64_t(1) << 26;
// kFused's return value for "compile variant k": kAskBase + k (0 is plain success, 2 a bad id).
constexpr int kAskBase = 8;

static std::vector<Program>& programs() {
  static std::vector<Program> p;
  return p;
}

// Descriptor: id, inputs, params, instrs, outputs, then per instr (kind, op, a, b, c), then
// the output value ids.
int kFusedDefine(Desc& d) {
  const int64_t id = d.i64();
  Program p;
  p.inputs = static_cast<int>(d.i64());
  p.params = static_cast<int>(d.i64());
  const int64_t ni = d.i64(), no = d.i64();
  for (int64_t k = 0; k < ni; k++) {
    Instr in;
    in.kind = static_cast<int>(d.i64());
    in.op = static_cast<int>(d.i64());
    in.a = d.num();
    in.b = static_cast<int>(d.i64());
    in.c = static_cast<int>(d.i64());
    p.instrs.push_back(in);
  }
  for (int64_t k = 0; k < no; k++) p.outputs.push_back(static_cast<int>(d.i64()));
  auto& all = programs();
  // A program redefined under an id drops the old one's compiled variants with it.
  if (static_cast<int64_t>(all.size()) <= id) all.resize(static_cast<size_t>(id + 1));
  all[static_cast<size_t>(id)] = std::move(p);
  return 0;
}

template <typename T> HEBB_ALWAYS_INLINE static inline void runProgram(const Program& p, const std::vector<View>& views, const std::vector<double>& params, const std::vector<T*>& outs, int64_t n) {
  std::vector<std::unique_ptr<Operand<T>>> ops;
  for (const View& v : views) ops.emplace_back(new Operand<T>(v));
  const size_t ni = p.instrs.size();
  std::vector<T> scratch(ni * CHUNK);
  std::vector<const T*> vp(ni);
  std::vector<const T*> in(views.size());
  std::vector<bool> used(views.size(), false);
  for (size_t k = 0; k < ni; k++) {
    const Instr& ins = p.instrs[k];
    T* own = scratch.data() + k * CHUNK;
    // Params and constants, rounded to the dtype, fill their chunk once.
    if (ins.kind == I_PARAM || ins.kind == I_CONST) {
      const T v = static_cast<T>(ins.kind == I_PARAM ? params[static_cast<size_t>(ins.a)] : ins.a);
      std::fill_n(own, CHUNK, v);
      vp[k] = own;
    }
    if (ins.kind == I_INPUT) used[static_cast<size_t>(ins.a)] = true;
  }
  // Full chunks pass the constant CHUNK as the length, so every inlined loop has a fixed trip
  // count (no remainder loop, no length checks); only the last partial chunk passes its length.
  auto chunk = [&](int64_t i0, int64_t len) HEBB_ALWAYS_INLINE {
    for (size_t q = 0; q < ops.size(); q++) if (used[q]) in[q] = ops[q]->next(len);
    for (size_t k = 0; k < ni; k++) {
      const Instr& ins = p.instrs[k];
      T* own = scratch.data() + k * CHUNK;
      switch (ins.kind) {
        case I_INPUT: vp[k] = in[static_cast<size_t>(ins.a)]; break;
        case I_UNARY: applyUnary<T>(ins.op, own, vp[static_cast<size_t>(ins.a)], len); vp[k] = own; break;
        case I_BINARY: applyBinary<T, T>(ins.op, own, vp[static_cast<size_t>(ins.a)], vp[static_cast<size_t>(ins.b)], len); vp[k] = own; break;
        case I_WHERE: {
          // A float condition is "nonzero", NaN included (as a cast to bool reads it).
          const T* c = vp[static_cast<size_t>(ins.a)];
          const T* x = vp[static_cast<size_t>(ins.b)];
          const T* y = vp[static_cast<size_t>(ins.c)];
          for (int64_t j = 0; j < len; j++) own[j] = c[j] != 0 ? x[j] : y[j];
          vp[k] = own;
          break;
        }
        default: break;
      }
    }
    for (size_t m = 0; m < outs.size(); m++) std::memmove(outs[m] + i0, vp[static_cast<size_t>(p.outputs[m])], len * sizeof(T));
  };
  int64_t i0 = 0;
  for (; i0 + CHUNK <= n; i0 += CHUNK) chunk(i0, CHUNK);
  if (i0 < n) chunk(i0, n - i0);
}

// One clone per ISA, picked at load time by the CPU (GCC's target_clones, an ifunc: x86-64 Linux
// with glibc). The interpreter's loops (applyUnary / applyBinary / where / the copy out, all
// inlined) then run 512- or 256-bit vectors where the baseline build has 128-bit ones. Only the
// vector width changes: -ffp-contract=off still forbids FMA contraction, and every op is an
// IEEE-exact one (add, sub, mul, div, sqrt, compare-and-select) or a libm call, so each clone's
// results are the baseline's bit for bit (the conformance suite's fused cases check the clone
// this CPU runs against the unfused kernels).
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define HEBB_ISA_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define HEBB_ISA_CLONES
#endif

HEBB_ISA_CLONES static void runProgramF32(const Program& p, const std::vector<View>& views, const std::vector<double>& params, const std::vector<float*>& outs, int64_t n) {
  runProgram<float>(p, views, params, outs, n);
}

HEBB_ISA_CLONES static void runProgramF64(const Program& p, const std::vector<View>& views, const std::vector<double>& params, const std::vector<double*>& outs, int64_t n) {
  runProgram<double>(p, views, params, outs, n);
}

// Descriptor: compile-after (elements; negative: never), use-compiled (0/1).
int kFusedConfig(Desc& d) {
  g_compileAfter = d.i64();
  g_useCompiled = d.i64() != 0;
  return 0;
}

// The variant a call runs: bit q of the mask set where input q is a broadcast scalar, times two,
// plus one for float64. With row inputs (views [rows, cols] with strides [0, 1] once collapsed,
// all of one cols), kRowKeyBase + ((row mask << 12) | scalar mask) * 2 + float64, for at most
// kMaxRowInputs inputs; `cols` is set to the row length. -1 where an input is none of these
// (only the interpreter walks strided views) or there are too many inputs.
static int64_t variantKey(const std::vector<View>& views, int dtype, int64_t n, int64_t& cols) {
  if (views.size() > kMaxCompiledInputs) return -1;
  int64_t mask = 0, rows = 0;
  cols = 1;
  for (size_t q = 0; q < views.size(); q++) {
    const View& v = views[q];
    if (v.scalar()) {
      mask |= int64_t(1) << q;
    } else if (v.rank == 2 && v.strides[0] == 0 && v.strides[1] == 1) {
      if (rows != 0 && v.shape[1] != cols) return -1;
      cols = v.shape[1];
      rows |= int64_t(1) << q;
    } else if (!v.dense()) {
      return -1;
    }
  }
  if (rows == 0) return mask * 2 + (dtype == F64 ? 1 : 0);
  if (views.size() > kMaxRowInputs || cols <= 0 || n % cols != 0) return -1;
  return kRowKeyBase + ((rows << kMaxRowInputs) | mask) * 2 + (dtype == F64 ? 1 : 0);
}

std::string fusedLoad(int64_t id, int64_t key, const std::string& path) {
  auto& all = programs();
  if (id < 0 || id >= static_cast<int64_t>(all.size())) return "no program " + std::to_string(id);
  // Kept open for the process's life: the program may run until exit.
  void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* e = dlerror();
    return std::string("dlopen failed: ") + (e ? e : "unknown error");
  }
  void* f = dlsym(h, kCompiledSymbol);
  if (!f) return std::string("the library has no ") + kCompiledSymbol;
  all[static_cast<size_t>(id)].compiled[key] = reinterpret_cast<CompiledFn>(f);
  return "";
}

// One call's arguments, as the descriptor gives them: id, dtype, n, the input views, the params,
// the output pointers.
struct FusedCall {
  int64_t id = 0;
  int dtype = F32;
  int64_t n = 0;
  std::vector<View> views;
  std::vector<double> params;
  std::vector<void*> outs;
};

// False for an unknown program id (nothing more is read).
static bool readFusedCall(Desc& d, FusedCall& c) {
  c.id = d.i64();
  c.dtype = static_cast<int>(d.i64());
  c.n = d.i64();
  auto& all = programs();
  if (c.id < 0 || c.id >= static_cast<int64_t>(all.size())) return false;
  const Program& p = all[static_cast<size_t>(c.id)];
  c.views.reserve(static_cast<size_t>(p.inputs));
  for (int q = 0; q < p.inputs; q++) c.views.push_back(readView(d));
  for (int q = 0; q < p.params; q++) c.params.push_back(d.num());
  for (size_t m = 0; m < p.outputs.size(); m++) c.outs.push_back(d.ptr());
  return true;
}

// The compiled variant for this call, or nullptr; key and cols as variantKey gives them.
static CompiledFn compiledFor(Program& prog, const FusedCall& c, int64_t& key, int64_t& cols) {
  cols = 1;
  key = variantKey(c.views, c.dtype, c.n, cols);
  if (key < 0 || !g_useCompiled) return nullptr;
  auto f = prog.compiled.find(key);
  return f == prog.compiled.end() ? nullptr : f->second;
}

// Runs the call: its compiled variant when there is one, else the interpreter, which counts the
// elements it ran and returns kAskBase + key once this variant should be compiled.
static int runFusedCall(const FusedCall& c) {
  Program& prog = programs()[static_cast<size_t>(c.id)];
  int64_t key = -1, cols = 1;
  if (CompiledFn f = compiledFor(prog, c, key, cols)) {
    std::vector<const void*> in;
    for (const View& v : c.views) in.push_back(v.base);
    f(c.n, cols, in.data(), c.params.data(), c.outs.data());
    return 0;
  }
  if (c.dtype == F32) {
    std::vector<float*> outs;
    for (void* o : c.outs) outs.push_back(static_cast<float*>(o));
    runProgramF32(prog, c.views, c.params, outs, c.n);
  } else {
    std::vector<double*> outs;
    for (void* o : c.outs) outs.push_back(static_cast<double*>(o));
    runProgramF64(prog, c.views, c.params, outs, c.n);
  }
  // Ask for a compiled variant once the interpreter has run enough elements of this one.
  if (key >= 0 && g_compileAfter >= 0 && !prog.asked.count(key)) {
    int64_t& seen = prog.seen[key];
    seen += c.n;
    if (seen >= g_compileAfter) {
      prog.asked.insert(key);
      return kAskBase + static_cast<int>(key);
    }
  }
  return 0;
}

int kFused(Desc& d) {
  FusedCall c;
  if (!readFusedCall(d, c)) return 2;
  return runFusedCall(c);
}

// The compiled variant as a GEMM epilogue (gemm.h): input 0 and the output are the product C
// itself ([m, n], row-major), the other inputs dense [m, n], broadcast scalars or rows. A block
// of whole rows is one call; a block of a row's columns [j0, j1) is one call per row, its row
// inputs read from column j0 (the variant's row length is then the block's width, so the
// variant's column index is j - j0 throughout).
struct Epilogue {
  CompiledFn f;
  const FusedCall* call;
  int64_t n;  // C's columns
  bool rows;  // some input is a row (the variant takes a row length)
};

static void runEpilogue(const void* ctx, float* c, int64_t ldc, int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
  const Epilogue& e = *static_cast<const Epilogue*>(ctx);
  const FusedCall& call = *e.call;
  const size_t ni = call.views.size();
  const void* in[kMaxCompiledInputs];
  void* out[1];
  const auto at = [&](int64_t i, int64_t j) {
    for (size_t q = 0; q < ni; q++) {
      const View& v = call.views[q];
      if (q == 0) in[q] = c + i * ldc + j;
      else if (v.scalar()) in[q] = v.base;
      else if (v.rank == 2 && v.strides[0] == 0) in[q] = reinterpret_cast<const float*>(v.base) + j;
      else in[q] = reinterpret_cast<const float*>(v.base) + i * ldc + j;
    }
    out[0] = c + i * ldc + j;
  };
  if (j0 == 0 && j1 == e.n) {
    at(i0, 0);
    e.f((i1 - i0) * e.n, e.rows ? e.n : 1, in, call.params.data(), out);
    return;
  }
  for (int64_t i = i0; i < i1; i++) {
    at(i, j0);
    e.f(j1 - j0, e.rows ? j1 - j0 : 1, in, call.params.data(), out);
  }
}

// Descriptor: the product's A and B views and its output buffer (kMatmul's), then the fused
// call (kFused's) whose input 0 and only output are that buffer. float32 with one matrix and a
// compiled variant: the variant runs as the product's epilogue (each block of C rewritten while
// it is in cache, on the thread that computed it). Otherwise the product, then the fused call
// as kFused runs it (the interpreter, which asks for the variant in time). Either way the same
// bits: the product's arithmetic does not depend on the epilogue, and a compiled variant gives
// the interpreter's results.
int kMatmulFused(Desc& d) {
  const View a = readView(d);  // [batch, m, k]
  const View b = readView(d);  // [batch, k, n]
  const Buf out = readBuf(d);
  FusedCall c;
  if (!readFusedCall(d, c)) return 2;
  const int64_t batch = a.oshape[0], m = a.oshape[1], k = a.oshape[2], n = b.oshape[2];
  if (batch * m * n == 0) return 0;
  Epilogue e{nullptr, &c, n, false};
  const GemmEpilogue epi{runEpilogue, &e};
  if (out.dtype == F32 && batch == 1 && c.outs.size() == 1 && c.outs[0] == out.ptr && !c.views.empty() &&
      c.views[0].base == out.ptr && c.views[0].dense()) {
    int64_t key = -1, cols = 1;
    e.f = compiledFor(programs()[static_cast<size_t>(c.id)], c, key, cols);
    e.rows = key >= kRowKeyBase;
  }
  if (out.dtype == F32) {
    sgemm(batch, m, n, k, a.at<float>(0), a.ostrides[0], a.ostrides[1], a.ostrides[2], b.at<float>(0),
          b.ostrides[0], b.ostrides[1], b.ostrides[2], out.as<float>(), e.f != nullptr ? &epi : nullptr);
    if (e.f != nullptr) return 0;
  } else {
    dgemm(batch, m, n, k, a.at<double>(0), a.ostrides[0], a.ostrides[1], a.ostrides[2], b.at<double>(0),
          b.ostrides[0], b.ostrides[1], b.ostrides[2], out.as<double>());
  }
  return runFusedCall(c);
}

}  // namespace hebb
