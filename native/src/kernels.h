// The kernel entry points addon.cc exposes to JavaScript, one per Backend method. Each reads
// its operands from the call descriptor (common.h) and returns 0, or an error code with details
// written back into the descriptor (gather/scatterAdd: the offending index at d[0]).
#pragma once
#include <string>
#include "common.h"

namespace hebb {

int kFill(Desc& d);
int kCopy(Desc& d);
int kCast(Desc& d);
int kUnary(Desc& d);
int kBinary(Desc& d);
int kWhere(Desc& d);
int kReduce(Desc& d);
int kMatmul(Desc& d);
int kGather(Desc& d, double* back);
int kScatterAdd(Desc& d, double* back);
int kRandomUniform(Desc& d);
int kFusedDefine(Desc& d);
int kFused(Desc& d);
int kMatmulFused(Desc& d);
int kFusedConfig(Desc& d);
// Attaches the compiled variant `key` of program `id` from the shared library at `path`; "" or why not.
std::string fusedLoad(int64_t id, int64_t key, const std::string& path);
int kSoftmax(Desc& d);
int kSoftmaxGrad(Desc& d);
int kSparseXent(Desc& d);
int kSparseXentGrad(Desc& d);

}  // namespace hebb
