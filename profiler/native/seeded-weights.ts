/**
 * Deterministic pseudo-random weights for exported benchmark layers: timing does
 * not depend on the values, but zeros could let a runtime skip work, and the same
 * seed gives byte-identical files (so a pushed file can be reused across runs).
 */

/** Returns `count` float32 values; successive calls continue the sequence. */
export type WeightSource = (count: number) => Float32Array;

/** Uniform values in [-0.5, 0.5) from mulberry32 seeded with `seed`. */
export function seededWeights(seed = 1): WeightSource {
  let state = seed >>> 0;
  return (count: number) => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
    }
    return out;
  };
}
