/**
 * Picks one action per acting step from the head's logits, in double precision
 * on the JavaScript side: the softmax runs over the step's allowed actions only
 * (the others have probability 0), sampled by inverse CDF from the seeded PRNG,
 * or the argmax when greedy, or the forced action. Each sampled step draws one
 * uniform even when forced, so forcing one step leaves the others' draws alone.
 */
import type { SeededRandom } from '../../dnn/tfjs/seeded-random.ts';
import { isAllowed } from './check-steps.ts';
import type { PolicySample, PolicyStep, SampleOptions } from './policy.ts';

/** Log-probabilities of a step's actions: softmax over the allowed ones, -Infinity for the others. */
export function stepLogProbs(logits: Float64Array, offset: number, step: PolicyStep): number[] {
  const out = new Array<number>(step.actionCount).fill(-Infinity);
  const allowed = out.map((_, a) => a).filter((a) => isAllowed(step, a));
  const max = Math.max(...allowed.map((a) => logits[offset + a]));
  const logZ = max + Math.log(allowed.reduce((s, a) => s + Math.exp(logits[offset + a] - max), 0));
  for (const a of allowed) out[a] = logits[offset + a] - logZ;
  return out;
}

/** logits: [steps.length * maxActions], row-major. */
export function chooseActions(logits: Float64Array, maxActions: number, steps: readonly PolicyStep[], rng: SeededRandom, opts: SampleOptions): PolicySample {
  const actions: number[] = [];
  let logProb = 0;
  steps.forEach((step, t) => {
    if (step.actionCount === 0) return;
    const logp = stepLogProbs(logits, t * maxActions, step);
    const forced = opts.forced?.[actions.length];
    const u = opts.greedy === true ? 0 : rng.uniform();
    let chosen: number;
    if (forced !== undefined) chosen = forced;
    else if (opts.greedy === true) chosen = logp.indexOf(Math.max(...logp)); // the first of equals
    else {
      chosen = logp.findLastIndex((l) => l > -Infinity); // if rounding leaves u above the last cumulative sum
      let cumulative = 0;
      for (let a = 0; a < logp.length; a++) {
        cumulative += Math.exp(logp[a]);
        if (u < cumulative && logp[a] > -Infinity) {
          chosen = a;
          break;
        }
      }
    }
    actions.push(chosen);
    logProb += logp[chosen];
  });
  return { actions, logProb };
}
