// The controller learns: a bandit-like task where each of 5 acting steps has 4
// actions and one right answer set by its features; REINFORCE with the moving-
// average baseline must find all five from a near-uniform start.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { requireTrainingBackend } from '../../engine/training-backend.ts';
import { createLstmPolicy } from './lstm-policy.ts';
import type { PolicyStep } from './policy.ts';

useWasmWithoutLeaks();

const TARGETS = [3, 1, 0, 2, 1];
// Features: the step's position one-hot, plus a constant input-only step in front (read, not acted on).
const STEPS: PolicyStep[] = [
  { features: [0, 0, 0, 0, 0, 1], actionCount: 0 },
  ...TARGETS.map((_, i) => ({ features: [0, 0, 0, 0, 0, 0].map((_, k) => (k === i ? 1 : 0)), actionCount: 4 })),
];
const reward = (actions: readonly number[]): number => actions.filter((a, i) => a === TARGETS[i]).length;

describe('LSTM policy on a 5-step, 4-action bandit', () => {
  test('greedy actions become the targets and the mean reward rises from about 1.25 to above 4', async () => {
    await requireTrainingBackend();
    const policy = createLstmPolicy({ featureSize: 6, maxActions: 4, seed: 7 });
    const BATCH = 8;
    const meanReward = (): number => {
      let sum = 0;
      for (let i = 0; i < 200; i++) sum += reward(policy.sample(STEPS).actions);
      return sum / 200;
    };
    const before = meanReward();
    // A uniform policy scores 5 * 1/4 = 1.25 on average; 200 episodes' mean has a standard error of about 0.07.
    assert.ok(before > 0.9 && before < 1.6, `mean reward before training ${before}`);
    let updates = 0;
    let lastBaseline = 0;
    while (updates < 400) {
      const episodes = Array.from({ length: BATCH }, () => {
        const { actions } = policy.sample(STEPS);
        return { steps: STEPS, actions, reward: reward(actions) };
      });
      const { loss, baseline } = policy.update(episodes);
      assert.ok(Number.isFinite(loss) && Number.isFinite(baseline));
      lastBaseline = baseline;
      updates += 1;
      if (updates % 50 === 0 && reward(policy.sample(STEPS, { greedy: true }).actions) === 5 && meanReward() > 4.5) break;
    }
    assert.deepEqual(policy.sample(STEPS, { greedy: true }).actions, TARGETS, `greedy after ${updates} updates`);
    const after = meanReward();
    assert.ok(after > 4, `mean reward after ${updates} updates: ${after}`);
    assert.ok(lastBaseline > 3, `the moving-average baseline followed the rewards up: ${lastBaseline}`);
    policy.dispose();
  });

  test('sample, update and dispose leave no tensor behind; use after dispose is refused by name', () => {
    const tensors = tf.memory().numTensors;
    const policy = createLstmPolicy({ featureSize: 6, maxActions: 4, seed: 1, entropyBonus: 0.1 });
    for (let i = 0; i < 3; i++) {
      const { actions } = policy.sample(STEPS);
      policy.update([{ steps: STEPS, actions, reward: reward(actions) }, { steps: STEPS.slice(0, 3), actions: actions.slice(0, 2), reward: 1 }]);
    }
    policy.weights();
    policy.dispose();
    assert.equal(tf.memory().numTensors, tensors);
    assert.throws(() => policy.sample(STEPS), { name: 'PolicyDisposedError', message: /sample\(\) called after dispose/ });
  });
});
