/**
 * The LSTM controller (search/controller/) on WASM: time to sample a 30-step
 * sequence (8 actions, 24 acting steps) with the forward in plain JavaScript,
 * against the same forward as TF.js kernels; one REINFORCE + Adam update on a
 * batch of 8 such episodes (one LSTM batch), against 8 single-episode updates and
 * against 8 episodes of 4 lengths (padded to the longest). Ratios within this
 * run. Prints; asserts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { requireTrainingBackend } from '../engine/training-backend.ts';
import { SeededRandom } from '../dnn/tfjs/seeded-random.ts';
import { createLstmPolicy } from '../search/controller/lstm-policy.ts';
import { bilstmInputs } from '../search/controller/bilstm-inputs.ts';
import { bilstmLogits } from '../search/controller/bilstm-logits.ts';
import { disposeLstmWeights, initLstmWeights } from '../search/controller/lstm-weights.ts';
import type { PolicyEpisode, PolicyStep } from '../search/controller/policy.ts';

const STEPS = 30;
const ACTIONS = 8;
const FEATURES = 6;
const BATCH = 8;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms of fn over `timed` calls after `warmup`. */
function time(fn: () => void, warmup: number, timed: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < timed; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const rng = new SeededRandom(1);
const sequence = (length: number): PolicyStep[] =>
  Array.from({ length }, (_, t) => ({ features: Array.from({ length: FEATURES }, () => rng.normal()), actionCount: t % 5 === 4 ? 0 : ACTIONS }));

const info = await initTfjsBackend({ prefer: 'wasm' });
await requireTrainingBackend();
console.log(`backend: ${info.description}; ${STEPS} steps (${ACTIONS} actions, ${FEATURES} features), 32 units per direction`);

const policy = createLstmPolicy({ featureSize: FEATURES, maxActions: ACTIONS, seed: 1 });
const steps = sequence(STEPS);
const sampleMs = time(() => policy.sample(steps), 20, 200);

const weights = initLstmWeights(new SeededRandom(1), FEATURES, 32, ACTIONS);
const inputs = bilstmInputs([Float32Array.from(steps.flatMap((s) => s.features))], FEATURES);
const tfForwardMs = time(() => tf.tidy(() => bilstmLogits(weights, inputs).dataSync()), 5, 40);
disposeLstmWeights(weights);

const episodes = (lengths: number[]): PolicyEpisode[] =>
  lengths.map((length, i) => {
    const s = length === STEPS ? steps : sequence(length);
    return { steps: s, actions: policy.sample(s).actions, reward: i % 3 };
  });
const same = episodes(Array.from({ length: BATCH }, () => STEPS));
const mixed = episodes([30, 30, 24, 24, 18, 18, 12, 12]);
const mixedMs = time(() => policy.update(mixed), 5, 10);
const batchedMs = time(() => policy.update(same), 5, 10);
const loopMs = time(() => same.forEach((e) => policy.update([e])), 1, 4);
policy.dispose();

const row = (label: string, ms: number, digits: number, note: string): void => console.log(`  ${label.padEnd(46)} ${ms.toFixed(digits).padStart(7)} ms ${note}`);
row('sample (JS forward)', sampleMs, 2, '(median of 200)');
row('the same forward as TF.js kernels', tfForwardMs, 2, `(median of 40): ${(tfForwardMs / sampleMs).toFixed(0)}x the JS sample`);
row(`update, batch of ${BATCH} x ${STEPS} steps`, batchedMs, 1, `(median of 10): ${(batchedMs / sampleMs).toFixed(0)}x a sample`);
row(`${BATCH} single-episode updates`, loopMs, 1, `(median of 4): ${(loopMs / batchedMs).toFixed(1)}x the batched update`);
row(`update, ${BATCH} episodes of 4 lengths (padded)`, mixedMs, 1, `(median of 10): ${(mixedMs / batchedMs).toFixed(1)}x one length`);
