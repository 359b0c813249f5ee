// Sampling keeps to the masks, returns forced actions with their log-probability,
// draws with the probabilities it reports, and repeats itself for the same seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { requireTrainingBackend } from '../../engine/training-backend.ts';
import { SeededRandom } from '../../dnn/tfjs/seeded-random.ts';
import { createLstmPolicy } from './lstm-policy.ts';
import type { LstmPolicy } from './lstm-policy.ts';
import type { PolicyStep } from './policy.ts';

useWasmWithoutLeaks();

/** A random sequence: some input-only steps, the rest with 1..6 actions and random masks allowing at least one. */
function randomSteps(rng: SeededRandom, length: number): PolicyStep[] {
  return Array.from({ length }, () => {
    const features = [rng.normal(), rng.normal()];
    if (rng.uniform() < 0.2) return { features, actionCount: 0 };
    const actionCount = 1 + Math.floor(rng.uniform() * 6);
    const mask = Array.from({ length: actionCount }, () => rng.uniform() < 0.6);
    mask[Math.floor(rng.uniform() * actionCount)] = true;
    return { features, actionCount, mask };
  });
}

test('thousands of samples never take a masked or out-of-range action; forced actions come back as given', async () => {
  await requireTrainingBackend();
  const policy = createLstmPolicy({ featureSize: 2, maxActions: 6, seed: 3 });
  const rng = new SeededRandom(99);
  let sampled = 0;
  for (let i = 0; i < 300; i++) {
    const steps = randomSteps(rng, 1 + Math.floor(rng.uniform() * 12));
    const acting = steps.filter((s) => s.actionCount > 0);
    // Force an allowed action at every other acting step.
    const forced = acting.map((s, k) => (k % 2 === 0 ? undefined : (s.mask ?? []).lastIndexOf(true)));
    for (const opts of [{}, { greedy: true }, { forced }]) {
      const { actions, logProb } = policy.sample(steps, opts);
      assert.equal(actions.length, acting.length);
      actions.forEach((a, k) => {
        assert.ok(Number.isInteger(a) && a >= 0 && a < acting[k].actionCount, `action ${a} of ${acting[k].actionCount}`);
        assert.equal(acting[k].mask?.[a], true, `sequence ${i} step ${k}: action ${a} is masked off`);
        if ('forced' in opts && forced[k] !== undefined) assert.equal(a, forced[k]);
      });
      assert.ok(logProb <= 0 && Number.isFinite(logProb));
      sampled += actions.length;
    }
    if (i % 50 === 49) {
      // Train a little on the way, so masks are checked on a policy that has moved too.
      const { actions } = policy.sample(steps);
      policy.update([{ steps, actions, reward: 1 }, { steps, actions: policy.sample(steps).actions, reward: 0 }]);
    }
  }
  assert.ok(sampled > 3000, `${sampled} actions sampled`);
  policy.dispose();
});

test('forcing every allowed combination: the probabilities add up to 1, and a masked one is refused by name', async () => {
  await requireTrainingBackend();
  const policy = createLstmPolicy({ featureSize: 2, maxActions: 4, seed: 5 });
  const steps: PolicyStep[] = [
    { features: [1, 0], actionCount: 4, mask: [true, false, true, true] },
    { features: [0, 1], actionCount: 0 },
    { features: [-1, 1], actionCount: 2 },
  ];
  let total = 0;
  for (const a of [0, 2, 3]) for (const b of [0, 1]) total += Math.exp(policy.sample(steps, { forced: [a, b] }).logProb);
  assert.ok(Math.abs(total - 1) < 1e-9, `sum ${total}`);
  const [p0, p2] = policy.probabilities(steps);
  assert.equal(p0[1], 0);
  assert.ok(Math.abs(Math.exp(policy.sample(steps, { forced: [3, 1] }).logProb) - p0[3] * p2[1]) < 1e-12);
  assert.throws(() => policy.sample(steps, { forced: [1] }), { name: 'PolicyInputError', message: /forced action 0 is 1, not an allowed action/ });
  assert.throws(() => policy.sample(steps, { forced: [0, 2] }), { name: 'PolicyInputError', message: /forced action 1 is 2/ });
  policy.dispose();
});

test('sampled frequencies follow the reported probabilities', async () => {
  await requireTrainingBackend();
  const policy = createLstmPolicy({ featureSize: 2, maxActions: 5, seed: 8 });
  const steps: PolicyStep[] = [{ features: [0.3, -0.7], actionCount: 5, mask: [true, true, false, true, true] }];
  // Push the distribution off uniform first.
  for (let i = 0; i < 30; i++) policy.update([{ steps, actions: [0], reward: 1 }, { steps, actions: [3], reward: 0.5 }, { steps, actions: [4], reward: 0 }]);
  const [p] = policy.probabilities(steps);
  assert.ok(p[0] > 0.35, `training moved the policy: ${p.map((x) => x.toFixed(3))}`);
  const N = 4000;
  const counts = [0, 0, 0, 0, 0];
  for (let i = 0; i < N; i++) counts[policy.sample(steps).actions[0]] += 1;
  assert.equal(counts[2], 0);
  counts.forEach((c, a) => {
    const sd = Math.sqrt(N * p[a] * (1 - p[a]));
    assert.ok(Math.abs(c - N * p[a]) <= 4 * sd + 1, `action ${a}: ${c} of ${N}, expected ${(N * p[a]).toFixed(0)} ± ${sd.toFixed(0)}`);
  });
  policy.dispose();
});

/** Samples, updates, greedy and forced samples in a fixed order; returns everything it saw. */
function run(policy: LstmPolicy, rng: SeededRandom): unknown[] {
  const seen: unknown[] = [];
  for (let i = 0; i < 6; i++) {
    const steps = randomSteps(rng, 4 + i);
    const a = policy.sample(steps);
    const b = policy.sample(steps);
    seen.push(a, b, policy.sample(steps, { greedy: true }), policy.sample(steps, { forced: [a.actions[0]] }));
    seen.push(policy.update([{ steps, actions: a.actions, reward: i }, { steps, actions: b.actions, reward: 2 * i - 3 }]));
  }
  seen.push(policy.weights());
  return seen;
}

test('the same seed and the same calls give the same actions, log-probabilities, losses and weights; another seed does not', async () => {
  await requireTrainingBackend();
  const make = (seed: number): LstmPolicy => createLstmPolicy({ featureSize: 2, maxActions: 6, seed, hiddenUnits: 8 });
  const [p1, p2, p3] = [make(21), make(21), make(22)];
  const first = run(p1, new SeededRandom(1));
  assert.deepEqual(run(p2, new SeededRandom(1)), first);
  assert.notDeepEqual(run(p3, new SeededRandom(1)), first);
  [p1, p2, p3].forEach((p) => p.dispose());
});
