import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crc32c, maskCrc, maskedCrc32c } from './crc32c.js';
import { crc32cBitwise } from '../../testing/tfevents_reader.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

test('crc32c: the standard check value and the RFC 3720 (iSCSI) test vectors', () => {
  assert.equal(crc32c(ascii('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
});

test('crc32c agrees with a bit-at-a-time implementation on random bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => crc32c(b) === crc32cBitwise(b)));
});

test('maskCrc: rotate right 15 and add 0xa282ead8 modulo 2^32 (computed here with BigInt)', () => {
  const ref = (c: number): number => {
    const x = BigInt(c);
    const rot = ((x >> 15n) | (x << 17n)) & 0xffffffffn;
    return Number((rot + 0xa282ead8n) & 0xffffffffn);
  };
  fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (c) => maskCrc(c) === ref(c)));
  for (const c of [0, 1, 0xffffffff, 0x80000000, 0xe3069283]) assert.equal(maskCrc(c), ref(c));
  assert.equal(maskedCrc32c(ascii('123456789')), ref(0xe3069283));
});
