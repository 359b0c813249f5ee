/** Keeps the given indices along one axis of a row-major array: the weight surgery filter pruning needs. */
export function takeAlongAxis(data: Float32Array, shape: readonly number[], axis: number, indices: readonly number[]): Float32Array {
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const size = shape[axis];
  const out = new Float32Array(outer * indices.length * inner);
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (const i of indices) {
      const start = (a * size + i) * inner;
      out.set(data.subarray(start, start + inner), o);
      o += inner;
    }
  }
  return out;
}
