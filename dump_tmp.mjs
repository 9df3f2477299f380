import h5wasm from 'h5wasm';
import { readFileSync } from 'node:fs';
const M = await h5wasm.ready; h5wasm.FS = M.FS;
const path = process.argv[2];
h5wasm.FS.writeFile('/x.h5', readFileSync(path));
const f = new h5wasm.File('/x.h5', 'r');
function attrs(o){ const out={}; for (const k of Object.keys(o.attrs)) { const a=o.attrs[k]; out[k]={v:a.json_value, dtype:a.dtype, shape:a.shape}; } return out; }
function walk(g, ind='') {
  for (const k of g.keys()) {
    const e = g.get(k);
    if (e instanceof h5wasm.Group) { console.log(ind + k + '/', JSON.stringify(attrs(e))); walk(e, ind + '  '); }
    else if (e instanceof h5wasm.Dataset) { const m=e.metadata; console.log(ind + k, JSON.stringify(e.shape), e.dtype, JSON.stringify({type:m.type,size:m.size,le:m.littleEndian,signed:m.signed, chunks:m.chunks, maxshape:m.maxshape, filters: e.filters}), JSON.stringify(attrs(e))); }
    else console.log(ind + k, '??', e?.constructor?.name);
  }
}
console.log('/', JSON.stringify(attrs(f)));
walk(f);
