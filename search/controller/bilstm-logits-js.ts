/**
 * The same forward as bilstm-logits.ts for one sequence, in plain JavaScript on
 * a snapshot of the weights. Sampling uses it: a 30-step sequence is about 380
 * TF.js kernels (about 10-40 us of dispatch each on WASM, 5-15 ms in all) but
 * well under a millisecond here. The update keeps the TF.js forward for its
 * gradients; the tests hold the two to the same logits.
 */
import { GATES } from './lstm-weights.ts';
import type { LstmWeights } from './lstm-weights.ts';

/** The weights' values, read once after each update. */
export interface WeightSnapshot {
  featureSize: number;
  hiddenUnits: number;
  maxActions: number;
  wx: Float32Array;
  wh: Float32Array;
  b: Float32Array;
  wo: Float32Array;
  bo: Float32Array;
}

export function snapshotWeights(w: LstmWeights): WeightSnapshot {
  const read = (v: { dataSync(): Float32Array | Int32Array | Uint8Array }): Float32Array => Float32Array.from(v.dataSync());
  return { featureSize: w.featureSize, hiddenUnits: w.hiddenUnits, maxActions: w.maxActions, wx: read(w.wx), wh: read(w.wh), b: read(w.b), wo: read(w.wo), bo: read(w.bo) };
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** x: [T * F] -> logits [T * maxActions]. */
export function bilstmLogitsJs(w: WeightSnapshot, x: Float32Array, T: number): Float64Array {
  const F = w.featureSize;
  const H = w.hiddenUnits;
  const A = w.maxActions;
  const cols = 2 * GATES * H;
  // hidden[t * 2H + d * H + j]: direction d's state at position t.
  const hidden = new Float64Array(T * 2 * H);
  const z = new Float64Array(GATES * H);
  for (let d = 0; d < 2; d++) {
    const h = new Float64Array(H);
    const c = new Float64Array(H);
    for (let s = 0; s < T; s++) {
      const t = d === 0 ? s : T - 1 - s;
      // z[g * H + j] = b + x_t Wx + h Wh for gate g, unit j, direction d (columns (2g + d) H + j).
      for (let g = 0; g < GATES; g++) {
        for (let j = 0; j < H; j++) {
          const col = (2 * g + d) * H + j;
          let sum = w.b[col];
          for (let f = 0; f < F; f++) sum += x[t * F + f] * w.wx[(d * F + f) * cols + col];
          for (let k = 0; k < H; k++) sum += h[k] * w.wh[(d * H + k) * cols + col];
          z[g * H + j] = sum;
        }
      }
      for (let j = 0; j < H; j++) {
        c[j] = sigmoid(z[H + j]) * c[j] + sigmoid(z[j]) * Math.tanh(z[2 * H + j]);
        h[j] = sigmoid(z[3 * H + j]) * Math.tanh(c[j]);
        hidden[t * 2 * H + d * H + j] = h[j];
      }
    }
  }
  const logits = new Float64Array(T * A);
  for (let t = 0; t < T; t++) {
    for (let a = 0; a < A; a++) {
      let sum = w.bo[a];
      for (let k = 0; k < 2 * H; k++) sum += hidden[t * 2 * H + k] * w.wo[k * A + a];
      logits[t * A + a] = sum;
    }
  }
  return logits;
}
