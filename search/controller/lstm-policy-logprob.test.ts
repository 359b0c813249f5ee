// The log-probability a sample reports, checked against a bidirectional LSTM
// written out here from the policy's weights; the TF.js forward the update
// differentiates, checked against the one sampling uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { requireTrainingBackend } from '../../engine/training-backend.ts';
import { SeededRandom } from '../../dnn/tfjs/seeded-random.ts';
import { createLstmPolicy } from './lstm-policy.ts';
import { bilstmInputs } from './bilstm-inputs.ts';
import { bilstmLogits } from './bilstm-logits.ts';
import { bilstmLogitsJs, snapshotWeights } from './bilstm-logits-js.ts';
import { disposeLstmWeights, initLstmWeights } from './lstm-weights.ts';
import type { DirectionWeights, PlainLstmWeights } from './lstm-weights.ts';
import type { PolicyStep } from './policy.ts';

useWasmWithoutLeaks();

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** One direction's states over xs in the order given: the textbook LSTM, gates i, f, g, o. */
function lstmStates(w: DirectionWeights, xs: number[][]): number[][] {
  const H = w.recurrent.length;
  let h = new Array<number>(H).fill(0);
  let c = new Array<number>(H).fill(0);
  return xs.map((x) => {
    const z = w.bias.map((b, col) => b + x.reduce((s, v, f) => s + v * w.kernel[f][col], 0) + h.reduce((s, v, k) => s + v * w.recurrent[k][col], 0));
    const gate = (g: number, j: number): number => z[g * H + j];
    c = c.map((cj, j) => sigmoid(gate(1, j)) * cj + sigmoid(gate(0, j)) * Math.tanh(gate(2, j)));
    h = c.map((cj, j) => sigmoid(gate(3, j)) * Math.tanh(cj));
    return h;
  });
}

/** Per step: the head's logits over [forward state, backward state]. */
function logitsByHand(w: PlainLstmWeights, steps: readonly PolicyStep[]): number[][] {
  const xs = steps.map((s) => [...s.features]);
  const fwd = lstmStates(w.forward, xs);
  const bwd = lstmStates(w.backward, [...xs].reverse()).reverse();
  return steps.map((_, t) => {
    const state = [...fwd[t], ...bwd[t]];
    return w.headBias.map((b, a) => b + state.reduce((s, v, k) => s + v * w.headKernel[k][a], 0));
  });
}

/** log softmax of the chosen action over the step's allowed actions. */
function logSoftmaxAt(logits: number[], allowed: number[], a: number): number {
  return logits[a] - Math.log(allowed.reduce((s, k) => s + Math.exp(logits[k]), 0));
}

test('a 2-step sample reports the sum of the log softmax of its actions over the allowed ones', async () => {
  await requireTrainingBackend();
  const policy = createLstmPolicy({ featureSize: 3, maxActions: 4, hiddenUnits: 5, seed: 11 });
  const steps: PolicyStep[] = [
    { features: [0.5, -1, 0.25], actionCount: 3, mask: [true, false, true] },
    { features: [1, 0, -0.5], actionCount: 4 },
  ];
  const logits = logitsByHand(policy.weights(), steps);
  const allowed = [[0, 2], [0, 1, 2, 3]];
  const expected = (actions: number[]): number => actions.reduce((s, a, t) => s + logSoftmaxAt(logits[t], allowed[t], a), 0);
  for (let i = 0; i < 10; i++) {
    const s = policy.sample(steps);
    assert.ok(Math.abs(s.logProb - expected(s.actions)) < 1e-5, `sample ${i} ${s.actions}: ${s.logProb} vs ${expected(s.actions)}`);
  }
  const greedy = policy.sample(steps, { greedy: true });
  const best = (t: number): number => allowed[t].reduce((b, a) => (logits[t][a] > logits[t][b] ? a : b));
  assert.deepEqual(greedy.actions, [best(0), best(1)]);
  assert.ok(Math.abs(greedy.logProb - expected(greedy.actions)) < 1e-5);

  // The update's graph sees the same log-probability: the first batch's baseline is its own reward (advantage 0,
  // so Adam leaves the weights alone); the second's loss is -(5 - 2) * logProb; the baseline moves 2 -> 0.9*2 + 0.1*5.
  const actions = [2, 1];
  const start = policy.weights();
  const first = policy.update([{ steps, actions, reward: 2 }]);
  assert.equal(first.baseline, 2);
  assert.ok(first.loss === 0, `loss ${first.loss}`); // -0 too: neg of a zero sum
  assert.deepEqual(policy.weights(), start, 'a zero advantage leaves the weights');
  const second = policy.update([{ steps, actions, reward: 5 }]);
  const lossByHand = -(5 - 2) * expected(actions);
  assert.ok(Math.abs(second.loss - lossByHand) < 1e-4 * Math.abs(lossByHand), `loss ${second.loss} vs ${lossByHand}`);
  assert.ok(Math.abs(second.baseline - 2.3) < 1e-12);
  policy.dispose();
});

test('the TF.js forward (differentiated by update) gives the logits sampling computes, on a batch of sequences of different lengths', () => {
  const rng = new SeededRandom(4);
  const w = initLstmWeights(rng, 3, 6, 5);
  // Biases and head off their starting values, so every weight shows.
  tf.tidy(() => {
    w.b.assign(tf.randomNormal([48], 0, 1, 'float32', 1));
    w.wo.assign(tf.randomNormal([12, 5], 0, 1, 'float32', 2));
    w.bo.assign(tf.randomNormal([5], 0, 1, 'float32', 3));
  });
  const lengths = [7, 1, 4];
  const sequences = lengths.map((T) => Float32Array.from({ length: T * 3 }, () => rng.normal()));
  const inputs = bilstmInputs(sequences, 3);
  assert.equal(inputs.length, 7);
  const batched = tf.tidy(() => bilstmLogits(w, inputs).dataSync());
  const snapshot = snapshotWeights(w);
  sequences.forEach((x, b) => {
    const one = bilstmLogitsJs(snapshot, x, lengths[b]);
    one.forEach((v, i) => assert.ok(Math.abs(v - batched[b * 7 * 5 + i]) < 1e-5, `sequence ${b} logit ${i}: ${v} vs ${batched[b * 7 * 5 + i]}`));
  });
  disposeLstmWeights(w);
});
