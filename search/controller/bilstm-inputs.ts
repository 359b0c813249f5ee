/**
 * Lays sequences of different lengths out as one batch for bilstm-logits.ts,
 * with no masks in the recurrence: row t of sequence b holds [x_t, x_(len-1-t)]
 * (zeros past len), so both directions start at the sequence's own ends and the
 * padding comes after every real step in both. backwardIndex says where each
 * position's backward state lies among the [B * T] states.
 */
export interface BilstmInputs {
  batch: number;
  /** The longest sequence's length: the recurrence's number of steps. */
  length: number;
  /** [B, T, 2F] */
  pairs: Float32Array;
  /** [B * T]: row b*T + p reads its backward state from row b*T + (len_b - 1 - p) (itself in the padding). */
  backwardIndex: Int32Array;
}

/** sequences[b]: the features of sequence b, len_b * featureSize values, step-major. */
export function bilstmInputs(sequences: readonly Float32Array[], featureSize: number): BilstmInputs {
  const F = featureSize;
  const B = sequences.length;
  const T = Math.max(...sequences.map((s) => s.length / F));
  const pairs = new Float32Array(B * T * 2 * F);
  const backwardIndex = new Int32Array(B * T);
  sequences.forEach((x, b) => {
    const len = x.length / F;
    for (let t = 0; t < T; t++) {
      const row = b * T + t;
      backwardIndex[row] = t < len ? b * T + (len - 1 - t) : row;
      if (t >= len) continue;
      pairs.set(x.subarray(t * F, (t + 1) * F), row * 2 * F);
      pairs.set(x.subarray((len - 1 - t) * F, (len - t) * F), row * 2 * F + F);
    }
  });
  return { batch: B, length: T, pairs, backwardIndex };
}
