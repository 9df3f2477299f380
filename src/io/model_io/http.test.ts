import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import * as hb from '../../index.js';
import type { Tensor } from '../../core/tensor.js';

/** A static file server over `root` on a free port; resolves to its base URL and a close function. */
async function serve(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const file = join(root, normalize(decodeURIComponent((req.url ?? '/').split('?')[0] as string)));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('loadModel over HTTP (fetch)', () => {
  it('loads a hebb save from a URL with the same weights, compile options and checks', async () => {
    hb.layers.resetLayerNames();
    hb.setSeed(3);
    const m = hb.sequential([hb.input({ shape: [3] }), hb.layers.dense({ units: 4, activation: 'relu' }), hb.layers.dense({ units: 1 })]);
    m.compile({ optimizer: 'adam', loss: 'mse' });
    await m.fit(hb.ones([4, 3]), hb.zeros([4, 1]), { epochs: 1, verbose: 0 });
    const root = mkdtempSync(join(tmpdir(), 'hebb-http-'));
    await m.save(join(root, 'model'));
    const s = await serve(root);
    try {
      const back = await hb.loadModel(`${s.url}/model/model.json`);
      const x = hb.tensor([[1, -2, 3]]);
      const [a, b] = [(await m.predict(x)) as Tensor, (await back.predict(x)) as Tensor];
      assert.deepEqual(Array.from(await b.data()), Array.from(await a.data()));
      assert.equal(back.optimizer?.name, 'adam');
      await assert.rejects(hb.loadModel(`${s.url}/nothing/model.json`), /nothing\/model\.json: HTTP 404/);
      // A shard longer than the manifest allows is refused (and not buffered whole).
      const shard = join(root, 'model', 'group1-shard1of1.bin');
      writeFileSync(shard, Buffer.concat([readFileSync(shard), Buffer.alloc(1 << 20)]));
      await assert.rejects(hb.loadModel(`${s.url}/model/model.json`), /model\.json: the shards of weightsManifest\[0\].*hold \d+ bytes, the weights need 84/);
      hb.dispose([x, a, b]);
      back.dispose();
    } finally {
      await s.close();
      m.dispose();
    }
  });

  it('loads the real tfjs 4.4.0 fixture from a URL (manifest named my-model.json, paths with ./)', async () => {
    const root = join(process.cwd(), '..', 'shared', 'fixtures', 'tfjs');
    const s = await serve(root);
    try {
      const fromUrl = await hb.loadModel(`${s.url}/tfjs4.4.0_diabetes/my-model.json`);
      const fromFile = await hb.loadModel(join(root, 'tfjs4.4.0_diabetes', 'my-model.json'));
      const w = async (mm: hb.Model): Promise<number[][]> => Promise.all(mm.weights.map(async (v) => Array.from(await v.data())));
      assert.deepEqual(await w(fromUrl), await w(fromFile));
      fromUrl.dispose();
      fromFile.dispose();
    } finally {
      await s.close();
    }
  });
});
