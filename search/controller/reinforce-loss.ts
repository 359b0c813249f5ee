/**
 * The REINFORCE surrogate loss of a batch of episodes (paper Eq. 10, gamma = 1:
 * every acting step's return is its episode's reward R):
 *   loss = -(1/N) * sum_e (R_e - b) * log pi(actions_e | steps_e)
 *          - entropyBonus * (mean entropy over the acting steps)
 * Episodes of the same length run as one batch through the LSTM (no padding, so
 * the backward direction starts at each sequence's own end); groups add up.
 */
import * as tf from '@tensorflow/tfjs';
import { bilstmLogits } from './bilstm-logits.ts';
import type { LstmWeights } from './lstm-weights.ts';
import { isAllowed } from './check-steps.ts';
import type { PolicyEpisode } from './policy.ts';

/** Large negative logit for actions that may not be taken: exp() of it is 0 in float32, and it stays finite. */
const MASKED_LOGIT = -1e9;

/** One length group's inputs as flat arrays. */
export interface LossGroup {
  batch: number;
  length: number;
  /** [B, T, F] */
  features: Float32Array;
  /** [B, T, A]: 0 for allowed actions (and for every action of an input-only step), MASKED_LOGIT otherwise. */
  logitMask: Float32Array;
  /** [B, T, A]: 1 at each acting step's action. */
  chosen: Float32Array;
  /** [B]: (R - b) / N. */
  advantage: Float32Array;
  /** [B, T]: 1 / (acting steps in the whole batch) at acting steps. */
  entropyWeight: Float32Array;
}

/** Groups the episodes by length and lays out their inputs; episodes without steps drop out. */
export function lossGroups(episodes: readonly PolicyEpisode[], baseline: number, featureSize: number, maxActions: number): LossGroup[] {
  const byLength = new Map<number, PolicyEpisode[]>();
  for (const e of episodes) {
    if (e.steps.length === 0) continue;
    byLength.set(e.steps.length, [...(byLength.get(e.steps.length) ?? []), e]);
  }
  const actingSteps = episodes.reduce((s, e) => s + e.actions.length, 0);
  const A = maxActions;
  return [...byLength.entries()].map(([T, group]) => {
    const B = group.length;
    const out: LossGroup = {
      batch: B,
      length: T,
      features: new Float32Array(B * T * featureSize),
      logitMask: new Float32Array(B * T * A),
      chosen: new Float32Array(B * T * A),
      advantage: Float32Array.from(group, (e) => (e.reward - baseline) / episodes.length),
      entropyWeight: new Float32Array(B * T),
    };
    group.forEach((e, b) => {
      let k = 0;
      e.steps.forEach((step, t) => {
        const bt = b * T + t;
        out.features.set(step.features, bt * featureSize);
        if (step.actionCount === 0) return;
        for (let a = 0; a < A; a++) if (!isAllowed(step, a)) out.logitMask[bt * A + a] = MASKED_LOGIT;
        out.chosen[bt * A + e.actions[k]] = 1;
        out.entropyWeight[bt] = 1 / actingSteps;
        k += 1;
      });
    });
    return out;
  });
}

/** The loss as a scalar tensor (call inside a gradient function). */
export function reinforceLoss(w: LstmWeights, groups: readonly LossGroup[], entropyBonus: number): tf.Scalar {
  const A = w.maxActions;
  const terms = groups.map((g) => {
    const x = tf.tensor3d(g.features, [g.batch, g.length, w.featureSize]);
    const logits = tf.add(bilstmLogits(w, x), tf.tensor3d(g.logitMask, [g.batch, g.length, A]));
    const logp = tf.logSoftmax(logits);
    const episodeLogProb = tf.sum(tf.mul(logp, tf.tensor3d(g.chosen, [g.batch, g.length, A])), [1, 2]);
    let term = tf.neg(tf.sum(tf.mul(episodeLogProb, tf.tensor1d(g.advantage))));
    if (entropyBonus > 0) {
      const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 2));
      term = tf.sub(term, tf.mul(entropyBonus, tf.sum(tf.mul(entropy, tf.tensor2d(g.entropyWeight, [g.batch, g.length])))));
    }
    return term;
  });
  return tf.addN(terms) as tf.Scalar;
}
