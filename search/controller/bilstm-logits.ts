/**
 * The controller's forward pass in TF.js ops that have gradients on the WASM
 * backend: both LSTM directions in one recurrence (see lstm-weights.ts) over a
 * batch laid out by bilstm-inputs.ts, the states concatenated per position, and
 * the shared head's logits for every position. Call inside tf.tidy (or a
 * gradient function); it disposes nothing itself.
 */
import * as tf from '@tensorflow/tfjs';
import type { BilstmInputs } from './bilstm-inputs.ts';
import type { LstmWeights } from './lstm-weights.ts';

/** -> logits [B, T, maxActions]; rows past a sequence's length are padding. */
export function bilstmLogits(w: LstmWeights, inputs: BilstmInputs): tf.Tensor3D {
  const { batch: B, length: T } = inputs;
  const F = w.featureSize;
  const H = w.hiddenUnits;
  const pairs = tf.tensor2d(inputs.pairs, [B * T, 2 * F]);
  const projected = tf.add(tf.matMul(pairs, tf.mul(w.wx, w.wxMask)), w.b).reshape([B, T, 8 * H]);
  // unstack's gradient fails for a single output (TF.js 4.22 hands it a tensor, not an array): T = 1 reshapes.
  const steps = T === 1 ? [projected.reshape([B, 8 * H])] : tf.unstack(projected, 1);
  const wh = tf.mul(w.wh, w.whMask);
  let h: tf.Tensor2D = tf.zeros([B, 2 * H]);
  let c: tf.Tensor2D = tf.zeros([B, 2 * H]);
  const states: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const z = tf.add(steps[t], tf.matMul(h, wh));
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
    states.push(h);
  }
  const all = tf.stack(states, 1).reshape([B * T, 2 * H]);
  const forward = tf.slice(all, [0, 0], [B * T, H]);
  const backward = tf.gather(tf.slice(all, [0, H], [B * T, H]), tf.tensor1d(inputs.backwardIndex, 'int32'));
  const hidden = tf.concat([forward, backward], 1);
  return tf.add(tf.matMul(hidden, w.wo), w.bo).reshape([B, T, w.maxActions]);
}
