// Reading views and buffers from the call descriptor, and the any-dtype gather.
#include "common.h"

namespace hebb {

View readView(Desc& d) {
  View v;
  char* ptr = d.ptr();
  v.dtype = static_cast<int>(d.i64());
  const int64_t offset = d.i64();
  const int rank = static_cast<int>(d.i64());
  v.base = ptr + offset * dtypeBytes(v.dtype);
  v.origRank = rank;
  for (int i = 0; i < rank; i++) v.oshape[i] = d.i64();
  for (int i = 0; i < rank; i++) v.ostrides[i] = d.i64();
  // Collapse: drop size-1 dimensions, merge a dimension into the previous one when the
  // previous one's stride is exactly this one's stride times its size (as cpu/strided.ts).
  int r = 0;
  v.size = 1;
  for (int i = 0; i < rank; i++) {
    const int64_t n = v.oshape[i];
    v.size *= n;
    if (n == 1) continue;
    const int64_t s = v.ostrides[i];
    if (r > 0 && v.strides[r - 1] == s * n) {
      v.shape[r - 1] *= n;
      v.strides[r - 1] = s;
    } else {
      v.shape[r] = n;
      v.strides[r] = s;
      r++;
    }
  }
  v.rank = r;
  return v;
}

Buf readBuf(Desc& d) {
  Buf b;
  b.ptr = d.ptr();
  b.dtype = static_cast<int>(d.i64());
  b.size = d.i64();
  return b;
}

void gatherDouble(Cursor& c, double* dst, int64_t len) {
  switch (c.v->dtype) {
    case F32: gatherAs<float, double>(c, dst, len); break;
    case F64: gatherAs<double, double>(c, dst, len); break;
    case I32: gatherAs<int32_t, double>(c, dst, len); break;
    default: gatherAs<uint8_t, double>(c, dst, len); break;
  }
}

}  // namespace hebb
