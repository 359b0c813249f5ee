// Wrong options, steps, actions and rewards fail with messages naming them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { createLstmPolicy } from './lstm-policy.ts';
import type { PolicyStep } from './policy.ts';

useWasmWithoutLeaks();

const error = (message: RegExp): { name: string; message: RegExp } => ({ name: 'PolicyInputError', message });

test('bad options are refused before any weight is made', () => {
  assert.throws(() => createLstmPolicy({ featureSize: 0, maxActions: 3, seed: 1 }), error(/featureSize 0 is not a positive integer/));
  assert.throws(() => createLstmPolicy({ featureSize: 2, maxActions: 2.5, seed: 1 }), error(/maxActions 2.5/));
  assert.throws(() => createLstmPolicy({ featureSize: 2, maxActions: 3, seed: 1, emaDecay: 1 }), error(/emaDecay 1 is not in \[0, 1\)/));
  assert.throws(() => createLstmPolicy({ featureSize: 2, maxActions: 3, seed: 1, learningRate: -1 }), error(/learningRate -1/));
});

test('steps, actions and rewards that do not fit are refused by step or episode', () => {
  const policy = createLstmPolicy({ featureSize: 2, maxActions: 3, seed: 1 });
  const steps: PolicyStep[] = [{ features: [1, 2], actionCount: 3, mask: [false, true, true] }, { features: [0, 1], actionCount: 0 }];
  assert.throws(() => policy.sample([{ features: [1], actionCount: 2 }]), error(/step 0 has 1 features, the policy reads 2/));
  assert.throws(() => policy.sample([steps[0], { features: [1, Number.NaN], actionCount: 2 }]), error(/step 1 has a feature that is not a finite number/));
  assert.throws(() => policy.sample([{ features: [1, 2], actionCount: 4 }]), error(/step 0 has actionCount 4, not an integer in 0..3/));
  assert.throws(() => policy.sample([{ features: [1, 2], actionCount: 2, mask: [false, false, true] }]), error(/step 0's mask allows none of its 2 actions/));
  assert.throws(() => policy.sample([{ features: [1, 2], actionCount: 3, mask: [true] }]), error(/mask of length 1 for 3 actions/));
  assert.throws(() => policy.sample(steps, { forced: [1, 1] }), error(/forced actions: 2 given for 1 acting steps/));
  assert.throws(() => policy.update([]), error(/at least one episode/));
  assert.throws(() => policy.update([{ steps, actions: [0], reward: 1 }]), error(/episode 0's action 0 is 0, not an allowed action/));
  assert.throws(() => policy.update([{ steps, actions: [], reward: 1 }]), error(/episode 0's actions: 0 given for 1 acting steps/));
  assert.throws(() => policy.update([{ steps, actions: [1], reward: Number.POSITIVE_INFINITY }]), error(/episode 0 has reward Infinity/));
  // Sequences with nothing to decide are fine: no actions, log-probability 0, and no step for Adam.
  assert.deepEqual(policy.sample([]), { actions: [], logProb: 0 });
  assert.deepEqual(policy.sample([steps[1]]), { actions: [], logProb: 0 });
  assert.deepEqual(policy.update([{ steps: [steps[1]], actions: [], reward: 4 }]), { loss: 0, baseline: 4 });
  policy.dispose();
  policy.dispose();
  assert.throws(() => policy.update([]), { name: 'PolicyDisposedError' });
});
