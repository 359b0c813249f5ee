import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CIFAR_RECORD_BYTES, parseCifarBinary } from './cifar-binary.ts';
import { DatasetError } from './dataset-error.ts';

/** Record n: label n % 10; channel c of pixel (y, x) holds (n * 7 + c * 50 + y * 3 + x) % 256, written plane by plane. */
const value = (n: number, y: number, x: number, c: number): number => (n * 7 + c * 50 + y * 3 + x) % 256;
function records(count: number): Uint8Array {
  const out = new Uint8Array(count * CIFAR_RECORD_BYTES);
  for (let n = 0; n < count; n++) {
    const r = n * CIFAR_RECORD_BYTES;
    out[r] = n % 10;
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[r + 1 + c * 1024 + y * 32 + x] = value(n, y, x, c);
  }
  return out;
}

describe('parseCifarBinary', () => {
  test('planar R, G, B records come out NHWC, checked pixel by pixel', () => {
    const b = parseCifarBinary(records(3), 'data_batch_1.bin');
    assert.equal(b.count, 3);
    assert.deepEqual(Array.from(b.labels), [0, 1, 2]);
    assert.equal(b.pixels.length, 3 * 32 * 32 * 3);
    for (let n = 0; n < 3; n++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) for (let c = 0; c < 3; c++) {
      assert.equal(b.pixels[((n * 32 + y) * 32 + x) * 3 + c], value(n, y, x, c), `image ${n} (${y}, ${x}) channel ${c}`);
    }
  });

  test('limit keeps the first records', () => {
    const b = parseCifarBinary(records(4), 'f', 2);
    assert.equal(b.count, 2);
    assert.deepEqual(Array.from(b.labels), [0, 1]);
    assert.equal(b.pixels[32 * 32 * 3], value(1, 0, 0, 0));
  });

  test('a length that is not a multiple of 3073 bytes names the file', () => {
    assert.throws(() => parseCifarBinary(records(2).subarray(0, 2 * 3073 - 1), 'test_batch.bin'),
      (e: unknown) => e instanceof DatasetError && /^test_batch\.bin: CIFAR-10 binary file of 6145 bytes is not a whole number of 3073-byte records/.test(e.message));
  });

  test('a label above 9 is refused', () => {
    const bad = records(2);
    bad[CIFAR_RECORD_BYTES] = 12;
    assert.throws(() => parseCifarBinary(bad, 'b.bin'), /b\.bin: record 1 has label 12/);
  });
});
