/**
 * The REINFORCE surrogate loss of a batch of episodes (paper Eq. 10, gamma = 1:
 * every acting step's return is its episode's reward R):
 *   loss = -(1/N) * sum_e (R_e - b) * log pi(actions_e | steps_e)
 *          - entropyBonus * (mean entropy over the acting steps)
 * All episodes run as one LSTM batch, padded to the longest (bilstm-inputs.ts);
 * padded positions carry no action and no entropy weight.
 */
import * as tf from '@tensorflow/tfjs';
import { bilstmInputs } from './bilstm-inputs.ts';
import type { BilstmInputs } from './bilstm-inputs.ts';
import { bilstmLogits } from './bilstm-logits.ts';
import type { LstmWeights } from './lstm-weights.ts';
import { isAllowed } from './check-steps.ts';
import type { PolicyEpisode } from './policy.ts';

/** Large negative logit for actions that may not be taken: exp() of it is 0 in float32, and it stays finite. */
const MASKED_LOGIT = -1e9;

/** A batch's inputs as flat arrays. */
export interface LossBatch {
  inputs: BilstmInputs;
  /** [B, T, A]: 0 for allowed actions (and for every action of an input-only or padded step), MASKED_LOGIT otherwise. */
  logitMask: Float32Array;
  /** [B, T, A]: 1 at each acting step's action. */
  chosen: Float32Array;
  /** [B]: (R - b) / N. */
  advantage: Float32Array;
  /** [B, T]: 1 / (acting steps in the whole batch) at acting steps. */
  entropyWeight: Float32Array;
}

/** Lays the episodes with at least one step out as one batch (call only when there is one). */
export function lossBatch(episodes: readonly PolicyEpisode[], baseline: number, featureSize: number, maxActions: number): LossBatch {
  const kept = episodes.filter((e) => e.steps.length > 0);
  const inputs = bilstmInputs(kept.map((e) => Float32Array.from(e.steps.flatMap((s) => s.features))), featureSize);
  const { batch: B, length: T } = inputs;
  const A = maxActions;
  const actingSteps = kept.reduce((s, e) => s + e.actions.length, 0);
  const out: LossBatch = {
    inputs,
    logitMask: new Float32Array(B * T * A),
    chosen: new Float32Array(B * T * A),
    advantage: Float32Array.from(kept, (e) => (e.reward - baseline) / episodes.length),
    entropyWeight: new Float32Array(B * T),
  };
  kept.forEach((e, b) => {
    let k = 0;
    e.steps.forEach((step, t) => {
      if (step.actionCount === 0) return;
      const bt = b * T + t;
      for (let a = 0; a < A; a++) if (!isAllowed(step, a)) out.logitMask[bt * A + a] = MASKED_LOGIT;
      out.chosen[bt * A + e.actions[k]] = 1;
      out.entropyWeight[bt] = 1 / actingSteps;
      k += 1;
    });
  });
  return out;
}

/** The loss as a scalar tensor (call inside a gradient function). */
export function reinforceLoss(w: LstmWeights, batch: LossBatch, entropyBonus: number): tf.Scalar {
  const { batch: B, length: T } = batch.inputs;
  const A = w.maxActions;
  const logits = tf.add(bilstmLogits(w, batch.inputs), tf.tensor3d(batch.logitMask, [B, T, A]));
  const logp = tf.logSoftmax(logits);
  const episodeLogProb = tf.sum(tf.mul(logp, tf.tensor3d(batch.chosen, [B, T, A])), [1, 2]);
  const loss = tf.neg(tf.sum(tf.mul(episodeLogProb, tf.tensor1d(batch.advantage)))) as tf.Scalar;
  if (entropyBonus === 0) return loss;
  const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 2));
  return tf.sub(loss, tf.mul(entropyBonus, tf.sum(tf.mul(entropy, tf.tensor2d(batch.entropyWeight, [B, T]))))) as tf.Scalar;
}
