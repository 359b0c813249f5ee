/**
 * Evicts a case's weights and input from the caches before a timed run, as the other layers
 * of a model do between two runs of one layer (BenchPlan.flushBytes). Pure JS, so every
 * runner (TF.js in Node or a browser, ONNX Runtime in Node) flushes the same way.
 */

/** Scratch buffers by size: allocated once per process. */
const scratch = new Map<number, Int32Array>();

/** Writes one int per 64-byte line of a `bytes` buffer; returns a value so the loop is not dropped. */
export function flushCaches(bytes: number): number {
  let buf = scratch.get(bytes);
  if (!buf) {
    buf = new Int32Array(Math.ceil(bytes / 4));
    scratch.set(bytes, buf);
  }
  let sum = 0;
  for (let i = 0; i < buf.length; i += 16) {
    buf[i] += 1;
    sum += buf[i];
  }
  return sum;
}
