// The update's gradients on WASM (with the studio's training kernels) equal the
// plain cpu backend's, and never reach the blocks that would mix the directions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { requireTrainingBackend } from '../../engine/training-backend.ts';
import { SeededRandom } from '../../dnn/tfjs/seeded-random.ts';
import { disposeLstmWeights, initLstmWeights, trainableVariables } from './lstm-weights.ts';
import { lossBatch, reinforceLoss } from './reinforce-loss.ts';
import type { PolicyEpisode, PolicyStep } from './policy.ts';

useWasmWithoutLeaks();

const step = (features: number[], actionCount: number, mask?: boolean[]): PolicyStep => ({ features, actionCount, mask });
const steps = [step([1, 0, -1], 3, [true, false, true]), step([0, 1, 0], 0), step([0.5, 0.5, 2], 4), step([-1, 1, 1], 2)];
const EPISODES: PolicyEpisode[] = [
  { steps, actions: [0, 3, 1], reward: 3 },
  { steps, actions: [2, 1, 0], reward: 1 },
  { steps: steps.slice(0, 1), actions: [2], reward: -2 },
  { steps: steps.slice(1, 3), actions: [2], reward: 0.5 },
];

/** The loss's gradients, as plain arrays, on the current backend. */
function gradients(): { loss: number; grads: Float32Array[] } {
  const w = initLstmWeights(new SeededRandom(5), 3, 4, 4);
  const batch = lossBatch(EPISODES, 0.75, 3, 4);
  const { value, grads } = tf.variableGrads(() => reinforceLoss(w, batch, 0.3), trainableVariables(w));
  const out = { loss: value.dataSync()[0], grads: trainableVariables(w).map((v) => grads[v.name].dataSync() as Float32Array) };
  tf.dispose([value, ...Object.values(grads)]);
  disposeLstmWeights(w);
  return out;
}

test('gradients of the REINFORCE loss with entropy, over 4 episodes of 3 lengths, equal the cpu backend\'s', async () => {
  assert.equal((await requireTrainingBackend()).name, 'wasm');
  const wasm = gradients();
  assert.ok(await tf.setBackend('cpu'));
  try {
    const cpu = gradients();
    assert.ok(Math.abs(wasm.loss - cpu.loss) < 1e-5, `loss ${wasm.loss} vs ${cpu.loss}`);
    wasm.grads.forEach((g, i) => {
      const scale = Math.max(...cpu.grads[i].map(Math.abs));
      assert.ok(scale > 0, `variable ${i} has a gradient`);
      g.forEach((v, j) => assert.ok(Math.abs(v - cpu.grads[i][j]) <= 1e-5 * scale, `variable ${i} entry ${j}: ${v} vs ${cpu.grads[i][j]}`));
    });
  } finally {
    assert.ok(await tf.setBackend('wasm'));
  }
  // wx [2F, 8H]: a forward-input row (0..F-1) never reaches a backward column ((2g + 1) H + j), nor the reverse.
  const [gx] = wasm.grads;
  const H = 4;
  for (let r = 0; r < 6; r++) {
    for (let c = 0; c < 32; c++) {
      if ((r < 3 ? 0 : 1) !== Math.floor(c / H) % 2) assert.ok(gx[r * 32 + c] === 0, `wx[${r}][${c}] mixes the directions: ${gx[r * 32 + c]}`); // -0 counts
    }
  }
});
