import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseIdx } from './idx.ts';
import { DatasetError } from './dataset-error.ts';

/** An unsigned-byte IDX file written by hand: 00 00 08 ndims, big-endian dims, data. */
function idx(dims: number[], data: number[]): Uint8Array {
  const head = [0, 0, 8, dims.length];
  for (const d of dims) head.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Uint8Array.from([...head, ...data]);
}

describe('parseIdx', () => {
  test('a 2 x 2 x 3 array: dimensions from the header, data row-major after it', () => {
    const r = parseIdx(idx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 'a.idx');
    assert.deepEqual(r.dims, [2, 2, 3]);
    assert.deepEqual(Array.from(r.data), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  test('a dimension above 255 reads big-endian', () => {
    const r = parseIdx(idx([300], new Array<number>(300).fill(7)), 'labels');
    assert.deepEqual(r.dims, [300]);
  });

  test('bad magic (a gzip header) names the file and the bytes', () => {
    const gz = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]);
    assert.throws(() => parseIdx(gz, 'x.gz'), (e: unknown) => e instanceof DatasetError && e.name === 'DatasetError' && /x\.gz: bad IDX magic 1f 8b 08 00/.test(e.message));
    const floats = idx([1], [0]);
    floats[2] = 0x0d;
    assert.throws(() => parseIdx(floats, 'f.idx'), /bad IDX magic 00 00 0d 01/);
  });

  test('a truncated file: short header, or fewer data bytes than the dimensions need', () => {
    assert.throws(() => parseIdx(Uint8Array.from([0, 0]), 't'), /t: truncated IDX file: 2 bytes/);
    assert.throws(() => parseIdx(idx([3, 2], [1, 2]).subarray(0, 9), 't'), /truncated IDX file: 9 bytes, the 2-dimension header takes 12/);
    assert.throws(() => parseIdx(idx([3, 2], [1, 2, 3, 4, 5]), 't'), /dimensions 3x2 need 6 data bytes, the file holds 5/);
  });

  test('bytes beyond the data are an error too', () => {
    assert.throws(() => parseIdx(idx([2], [1, 2, 3]), 'long'), /long: IDX file has 1 bytes beyond its 2 data/);
  });
});
