import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { resizeBilinear } from './resize-image.ts';

describe('resizeBilinear', () => {
  test('2x2 grey to 4x4 with half-pixel centres: edges clamp, inner pixels blend 3:1', () => {
    const out = resizeBilinear(Uint8Array.from([0, 100, 200, 40]), 2, 2, 1, 4, 4);
    // Output x = 0..3 samples input x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1); y likewise.
    // Row 0 along x: 0, 25, 75, 100; row 1 ([200, 40]) along x: 200, 160, 80, 40.
    // Output row 1 is a quarter of the way from row 0 to row 1:
    // 0 + 0.25*200 = 50; 25 + 0.25*135 = 58.75; 75 + 0.25*5 = 76.25; 100 - 0.25*60 = 85.
    assert.deepEqual(Array.from(out.subarray(0, 8)), [0, 25, 75, 100, 50, 59, 76, 85]);
    assert.deepEqual(Array.from(out.subarray(12)), [200, 160, 80, 40]);
  });

  test('the same size gives the same bytes; 4x4 to 2x2 averages each 2x2 RGB block', () => {
    const src = Uint8Array.from({ length: 4 * 4 * 3 }, (_, i) => (i * 13) % 256);
    assert.deepEqual(resizeBilinear(src, 4, 4, 3, 4, 4), src);
    const half = resizeBilinear(src, 4, 4, 3, 2, 2);
    for (const [oy, ox] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) s += src[((2 * oy + dy) * 4 + 2 * ox + dx) * 3 + c];
        assert.equal(half[(oy * 2 + ox) * 3 + c], Math.round(s / 4));
      }
    }
  });
});
