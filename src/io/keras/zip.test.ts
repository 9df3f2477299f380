import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strToU8 } from 'fflate';
import * as hb from '../../index.js';
import { pack, renameEntry, unpack } from '../../../testing/keras_craft.js';

const FIXTURE = 'k3_functional_iris_softmax.keras';

async function refused(bytes: Uint8Array, why: RegExp): Promise<void> {
  await assert.rejects(hb.loadKerasModel(bytes), (e: unknown) => {
    assert.ok(e instanceof hb.ValueError, String(e));
    assert.match(e.message, /^loadKerasModel: the given bytes: /);
    assert.match(e.message, why);
    return true;
  });
}

describe('loadKerasModel: archives refused before extraction', () => {
  it('an entry that climbs out (..) or is absolute', async () => {
    const m = unpack(FIXTURE);
    await refused(pack({ ...m, '../evil.txt': strToU8('x') }), /archive entry "\.\.\/evil\.txt" climbs out/);
    await refused(pack({ ...m, 'assets/../../x': strToU8('x') }), /climbs out/);
    await refused(pack({ ...m, '/etc/x': strToU8('x') }), /"\/etc\/x" is an absolute path/);
    await refused(pack({ ...m, 'C:/x': strToU8('x') }), /is an absolute path/);
  });

  it('two entries with the same name', async () => {
    const m = unpack(FIXTURE);
    // A fourth entry, renamed in the raw bytes to the weights' name: Python would read the last one.
    const zip = renameEntry(pack({ ...m, 'model.weights.h6': new Uint8Array(10) }), 'model.weights.h6', 'model.weights.h5');
    await refused(zip, /two entries named "model\.weights\.h5"/);
  });

  it('unexpected members: an npz or pickle weight store, assets, anything else', async () => {
    const m = unpack(FIXTURE);
    const { ['model.weights.h5']: w, ...rest } = m;
    assert.ok(w);
    await refused(pack({ ...rest, 'model.weights.npz': new Uint8Array(8) }), /"model\.weights\.npz" is a NumPy\/pickle store, which can hold pickled Python objects/);
    await refused(pack({ ...m, 'model/malicious.pkl': new Uint8Array(8) }), /"model\/malicious\.pkl" is a NumPy\/pickle store/);
    await refused(pack({ ...m, 'assets/vocab.txt': strToU8('a') }), /unexpected archive member "assets\/vocab\.txt"/);
    await refused(pack(rest), /the archive has no model\.weights\.h5/);
  });

  it('a zip bomb: a member that would expand too far, or whose header claims too much', async () => {
    const m = unpack(FIXTURE);
    // 64 MiB of zeros deflate to ~64 KiB (1000:1).
    const bomb = pack({ ...m, 'config.json': new Uint8Array(64 * 1024 * 1024) }, 6);
    await refused(bomb, /"config\.json" would expand to 67108864 bytes \(at most|would expand \d+-fold/);
    const big = pack({ ...m, 'metadata.json': new Uint8Array(8 * 1024 * 1024) }, 6);
    await refused(big, /"metadata\.json" would expand to 8388608 bytes \(at most 1048576\)/);
    // The weights' declared size raised to 3 GiB in the central directory (stored: sizes disagree).
    const zip = pack(m);
    const cd = zip.length - 22 - 3 * 46 - 'metadata.json'.length - 'config.json'.length - 'model.weights.h5'.length;
    const view = new DataView(zip.buffer, zip.byteOffset);
    let at = cd;
    for (let i = 0; i < 3; i++) {
      assert.equal(view.getUint32(at, true), 0x02014b50);
      const n = view.getUint16(at + 28, true);
      const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + n));
      if (name === 'model.weights.h5') view.setUint32(at + 24, 3 * 1024 * 1024 * 1024, true);
      at += 46 + n + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    await refused(zip, /"model\.weights\.h5" is stored uncompressed but declares 3221225472 bytes/);
  });

  it('a truncated archive', async () => {
    const zip = pack(unpack(FIXTURE));
    await refused(zip.subarray(0, zip.length - 30), /not a readable zip archive \(truncated or corrupted\?\)/);
    await refused(zip.subarray(0, 2000), /not a readable zip archive/);
  });

  it('a file that is neither zip nor HDF5', async () => {
    await refused(strToU8('{"modelTopology": {}}'), /neither a \.keras archive \(zip\) nor a legacy Keras \.h5 \(HDF5\); a TensorFlow\.js model\.json is read by loadModel/);
    await refused(new Uint8Array(0), /neither a \.keras archive/);
  });
});
