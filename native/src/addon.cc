// The N-API surface of the native backend (src/backends/native/native_backend.ts drives it).
//
// Memory: alloc hands JavaScript an external ArrayBuffer over a 64-byte-aligned block of C++
// memory, so the typed array the TypeScript buffer object keeps *is* the tensor: write, read
// and readSync are typed-array copies in JavaScript, and kernels get the block's address.
// free detaches that ArrayBuffer (any typed array over it then has length 0, so JavaScript can
// never touch freed memory) and releases the block at once; the GC finalizer releases it only
// for an ArrayBuffer that was dropped without free.
//
// Calls: every kernel takes its operands from one Float64Array descriptor that JavaScript
// shares with this module (init), pointers included as numbers, so a call crosses N-API with
// no arguments to unwrap and returns a status number.
#include <napi.h>
#include <cstdlib>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#define HEBB_HAVE_MMAP 1
#endif
#include "gemm.h"
#include "kernels.h"

namespace {

double* g_desc = nullptr;
size_t g_descLen = 0;
Napi::Reference<Napi::ArrayBuffer> g_descRef;

// One allocation; `ptr` is cleared by an explicit free so the finalizer does not free twice.
// Blocks of kMapBytes or more are mapped pages of their own (`mapped` is their length), freed
// with munmap: from malloc's heap, a freed large block that another allocation sits after
// cannot be merged back and is too small for the next aligned request of the same size (it
// asks for size + alignment), so streaming same-sized batches grew the heap by one block per
// batch (2 GiB streamed: RSS +1.9 GiB, test/dataset_memory.test.ts). Smaller blocks are reused
// by the TypeScript side's pool (src/backends/native/pool.ts) and stay on malloc.
struct Block {
  void* ptr;
  size_t mapped;
};

constexpr size_t kMapBytes = size_t(1) << 20;

void* allocBlock(size_t size, size_t* mapped) {
  *mapped = 0;
#ifdef HEBB_HAVE_MMAP
  if (size >= kMapBytes) {
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    *mapped = size;
    return p;
  }
#endif
  return std::aligned_alloc(64, size);
}

void releaseBlock(Block* b) {
  if (!b->ptr) return;
#ifdef HEBB_HAVE_MMAP
  if (b->mapped) {
    munmap(b->ptr, b->mapped);
    b->ptr = nullptr;
    return;
  }
#endif
  std::free(b->ptr);
  b->ptr = nullptr;
}

void finalizeBlock(Napi::Env, void*, Block* b) {
  releaseBlock(b);
  delete b;
}

Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::ArrayBuffer ab = info[0].As<Napi::ArrayBuffer>();
  g_descRef = Napi::Persistent(ab);
  g_desc = static_cast<double*>(ab.Data());
  g_descLen = ab.ByteLength() / sizeof(double);
  return Napi::String::New(info.Env(), hebb::gemmKernelName());
}

Napi::Value Alloc(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const double bytes = info[0].As<Napi::Number>().DoubleValue();
  // Rounded up to whole cache lines (aligned_alloc wants a multiple of the alignment); an
  // empty buffer still gets one line, so every buffer has a distinct, valid address.
  const size_t size = bytes <= 0 ? 64 : ((static_cast<size_t>(bytes) + 63) / 64) * 64;
  size_t mapped = 0;
  void* p = allocBlock(size, &mapped);
  if (!p) {
    Napi::Error::New(env, "native backend: out of memory allocating " + std::to_string(size) + " bytes").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Block* b = new Block{p, mapped};
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, p, static_cast<size_t>(bytes <= 0 ? 0 : bytes), finalizeBlock, b);
  g_desc[0] = static_cast<double>(reinterpret_cast<uintptr_t>(p));
  // The finalizer's record travels with the ArrayBuffer so free can find it.
  g_desc[1] = static_cast<double>(reinterpret_cast<uintptr_t>(b));
  return ab;
}

Napi::Value Free(const Napi::CallbackInfo& info) {
  Napi::ArrayBuffer ab = info[0].As<Napi::ArrayBuffer>();
  Block* b = reinterpret_cast<Block*>(static_cast<uintptr_t>(info[1].As<Napi::Number>().DoubleValue()));
  ab.Detach();
  releaseBlock(b);
  return info.Env().Undefined();
}

// fusedLoad(id, key, path): "" when the compiled variant is attached, otherwise why not.
Napi::Value FusedLoad(const Napi::CallbackInfo& info) {
  const int64_t id = static_cast<int64_t>(info[0].As<Napi::Number>().DoubleValue());
  const int64_t key = static_cast<int64_t>(info[1].As<Napi::Number>().DoubleValue());
  const std::string path = info[2].As<Napi::String>().Utf8Value();
  return Napi::String::New(info.Env(), hebb::fusedLoad(id, key, path));
}

template <int (*K)(hebb::Desc&)> Napi::Value Kernel(const Napi::CallbackInfo& info) {
  hebb::Desc d(g_desc);
  return Napi::Number::New(info.Env(), K(d));
}

template <int (*K)(hebb::Desc&, double*)> Napi::Value KernelBack(const Napi::CallbackInfo& info) {
  hebb::Desc d(g_desc);
  return Napi::Number::New(info.Env(), K(d, g_desc));
}

Napi::Object Module(Napi::Env env, Napi::Object exports) {
  exports.Set("init", Napi::Function::New(env, Init));
  exports.Set("alloc", Napi::Function::New(env, Alloc));
  exports.Set("free", Napi::Function::New(env, Free));
  exports.Set("fill", Napi::Function::New(env, Kernel<hebb::kFill>));
  exports.Set("copy", Napi::Function::New(env, Kernel<hebb::kCopy>));
  exports.Set("cast", Napi::Function::New(env, Kernel<hebb::kCast>));
  exports.Set("unary", Napi::Function::New(env, Kernel<hebb::kUnary>));
  exports.Set("binary", Napi::Function::New(env, Kernel<hebb::kBinary>));
  exports.Set("where", Napi::Function::New(env, Kernel<hebb::kWhere>));
  exports.Set("reduce", Napi::Function::New(env, Kernel<hebb::kReduce>));
  exports.Set("matmul", Napi::Function::New(env, Kernel<hebb::kMatmul>));
  exports.Set("gather", Napi::Function::New(env, KernelBack<hebb::kGather>));
  exports.Set("scatterAdd", Napi::Function::New(env, KernelBack<hebb::kScatterAdd>));
  exports.Set("randomUniform", Napi::Function::New(env, Kernel<hebb::kRandomUniform>));
  exports.Set("fusedDefine", Napi::Function::New(env, Kernel<hebb::kFusedDefine>));
  exports.Set("fused", Napi::Function::New(env, Kernel<hebb::kFused>));
  exports.Set("matmulFused", Napi::Function::New(env, Kernel<hebb::kMatmulFused>));
  exports.Set("fusedConfig", Napi::Function::New(env, Kernel<hebb::kFusedConfig>));
  exports.Set("fusedLoad", Napi::Function::New(env, FusedLoad));
  exports.Set("softmax", Napi::Function::New(env, Kernel<hebb::kSoftmax>));
  exports.Set("softmaxGrad", Napi::Function::New(env, Kernel<hebb::kSoftmaxGrad>));
  exports.Set("sparseCrossentropy", Napi::Function::New(env, Kernel<hebb::kSparseXent>));
  exports.Set("sparseCrossentropyGrad", Napi::Function::New(env, Kernel<hebb::kSparseXentGrad>));
  return exports;
}

}  // namespace

NODE_API_MODULE(hebb_native, Module)
