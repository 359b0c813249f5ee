/**
 * Epsilon-greedy search as a SequencePolicy: for each acting step of a sequence (keyed by
 * the whole sequence's features and the step's place in it) it keeps the mean reward of
 * every action tried; with probability epsilon it draws an allowed action uniformly,
 * else it takes the tried allowed action of best mean (uniform while none is tried).
 */
import { SeededRandom } from '../dnn/tfjs/seeded-random.ts';
import type { PolicyEpisode, PolicySample, PolicyStep, PolicyUpdate, SampleOptions, SequencePolicy } from './controller/policy.ts';
import { SearchInputError } from './problem.ts';
import { allowedActions } from './uniform-policy.ts';

function sequenceKey(steps: readonly PolicyStep[]): string {
  return steps.map((s) => `${s.features.join(',')}#${s.actionCount}`).join('|');
}

export function createEpsilonGreedyPolicy(seed: number, epsilon = 0.2): SequencePolicy {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new SearchInputError(`epsilon-greedy: epsilon must be within [0, 1], got ${epsilon}`);
  const rng = new SeededRandom(seed);
  // key -> action -> [sum of rewards, count]
  const table = new Map<string, Map<number, [number, number]>>();
  return {
    sample(steps: readonly PolicyStep[], opts: SampleOptions = {}): PolicySample {
      const seq = sequenceKey(steps);
      const actions: number[] = [];
      let logProb = 0;
      steps.forEach((step, t) => {
        if (step.actionCount === 0) return;
        const allowed = allowedActions(step);
        const explore = rng.uniform();
        const u = rng.uniform();
        const forced = opts.forced?.[actions.length];
        const tried = table.get(`${seq}@${t}`);
        let best: number | undefined;
        let bestMean = -Infinity;
        for (const a of allowed) {
          const s = tried?.get(a);
          if (s !== undefined && s[0] / s[1] > bestMean) {
            bestMean = s[0] / s[1];
            best = a;
          }
        }
        const greedy = opts.greedy === true || explore >= epsilon;
        const chosen = forced ?? (greedy && best !== undefined ? best : allowed[Math.floor(u * allowed.length)]);
        actions.push(chosen);
        const p = (chosen === best ? 1 - epsilon : 0) + epsilon / allowed.length;
        logProb += Math.log(best === undefined ? 1 / allowed.length : p);
      });
      return { actions, logProb };
    },
    update(episodes: readonly PolicyEpisode[]): PolicyUpdate {
      for (const e of episodes) {
        const seq = sequenceKey(e.steps);
        let j = 0;
        e.steps.forEach((step, t) => {
          if (step.actionCount === 0) return;
          const key = `${seq}@${t}`;
          const row = table.get(key) ?? new Map<number, [number, number]>();
          const s = row.get(e.actions[j]) ?? [0, 0];
          row.set(e.actions[j], [s[0] + e.reward, s[1] + 1]);
          table.set(key, row);
          j += 1;
        });
      }
      return { loss: 0, baseline: 0 };
    },
    dispose(): void {},
  };
}
