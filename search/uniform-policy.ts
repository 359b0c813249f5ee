/**
 * Random search as a SequencePolicy: every allowed action equally likely, nothing learnt.
 * Greedy takes the first allowed action. Searching with it over the same steps and masks
 * as the controllers gives the random-search baseline at the same budget.
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
        actions.push(forced ?? (opts.greedy === true ? allowed[0] : allowed[Math.floor(u * allowed.length)]));
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
