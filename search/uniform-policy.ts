/**
 * Random search as a SequencePolicy: every allowed action equally likely, nothing learnt.
 * Searching with it over the same steps and masks as the controllers gives the
 * random-search baseline at the same budget. Greedy draws like any other sample: a uniform
 * policy prefers no action, and taking the first allowed one handed random search "cut 0,
 * nothing compressed" (send the input) as a free last evaluation, the best branch at good
 * rates on vgg11 / CIFAR-10 (350.46 where its samples had reached 313).
 */
import { SeededRandom } from '../dnn/tfjs/seeded-random.ts';
import type { PolicySample, PolicyStep, PolicyUpdate, SampleOptions, SequencePolicy } from './controller/policy.ts';

export function allowedActions(step: PolicyStep): number[] {
  const out: number[] = [];
  for (let a = 0; a < step.actionCount; a++) if (step.mask === undefined || step.mask[a] === true) out.push(a);
  return out;
}

export function createUniformPolicy(seed: number): SequencePolicy {
  const rng = new SeededRandom(seed);
  return {
    sample(steps: readonly PolicyStep[], opts: SampleOptions = {}): PolicySample {
      const actions: number[] = [];
      let logProb = 0;
      for (const step of steps) {
        if (step.actionCount === 0) continue;
        const allowed = allowedActions(step);
        const u = rng.uniform();
        const forced = opts.forced?.[actions.length];
        actions.push(forced ?? allowed[Math.floor(u * allowed.length)]);
        logProb -= Math.log(allowed.length);
      }
      return { actions, logProb };
    },
    update(): PolicyUpdate {
      return { loss: 0, baseline: 0 };
    },
    dispose(): void {},
  };
}
