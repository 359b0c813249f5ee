/**
 * The controller's forward pass in TF.js ops that have gradients on the WASM
 * backend: both LSTM directions in one recurrence (see lstm-weights.ts), the
 * states concatenated per step, and the shared head's logits for every step.
 * Call inside tf.tidy (or a gradient function); it disposes nothing itself.
 */
import * as tf from '@tensorflow/tfjs';
import type { LstmWeights } from './lstm-weights.ts';

/** x: [B, T, F] (B sequences of the same length T) -> logits [B, T, maxActions]. */
export function bilstmLogits(w: LstmWeights, x: tf.Tensor3D): tf.Tensor3D {
  const [B, T, F] = x.shape;
  const H = w.hiddenUnits;
  // Step t of the recurrence reads x_t (forward) and x_(T-1-t) (backward).
  const pairs = tf.concat([x, tf.reverse(x, 1)], 2).reshape([B * T, 2 * F]);
  const projected = tf.add(tf.matMul(pairs, tf.mul(w.wx, w.wxMask)), w.b).reshape([B, T, 8 * H]);
  // unstack's gradient fails for a single output (TF.js 4.22 hands it a tensor, not an array): T = 1 reshapes.
  const inputs = T === 1 ? [projected.reshape([B, 8 * H])] : tf.unstack(projected, 1);
  const wh = tf.mul(w.wh, w.whMask);
  let h: tf.Tensor2D = tf.zeros([B, 2 * H]);
  let c: tf.Tensor2D = tf.zeros([B, 2 * H]);
  const states: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const z = tf.add(inputs[t], tf.matMul(h, wh));
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
    states.push(h);
  }
  // The backward half of step t's state belongs to position T-1-t.
  const all = tf.stack(states, 1) as tf.Tensor3D;
  const forward = tf.slice(all, [0, 0, 0], [B, T, H]);
  const backward = tf.reverse(tf.slice(all, [0, 0, H], [B, T, H]), 1);
  const hidden = tf.concat([forward, backward], 2).reshape([B * T, 2 * H]);
  return tf.add(tf.matMul(hidden, w.wo), w.bo).reshape([B, T, w.maxActions]);
}
