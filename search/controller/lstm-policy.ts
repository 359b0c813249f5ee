/**
 * The LSTM controller of paper Sec. VI-C/D: a bidirectional LSTM over the step
 * sequence with a shared, masked softmax head, trained by Monte-Carlo policy
 * gradient with an exponential-moving-average baseline and Adam. Weights and
 * sampling come from the seed: the same seed and the same calls give the same
 * actions. Tensors live only inside tf.tidy; the policy holds its variables and
 * Adam's slots until dispose().
 */
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../dnn/tfjs/seeded-random.ts';
import { bilstmLogitsJs, snapshotWeights } from './bilstm-logits-js.ts';
import type { WeightSnapshot } from './bilstm-logits-js.ts';
import { checkActions, checkOptions, checkSteps } from './check-steps.ts';
import { chooseActions, stepLogProbs } from './choose-actions.ts';
import { EmaBaseline } from './ema-baseline.ts';
import { disposeLstmWeights, initLstmWeights, readLstmWeights, trainableVariables } from './lstm-weights.ts';
import type { PlainLstmWeights } from './lstm-weights.ts';
import { PolicyDisposedError, PolicyInputError } from './policy-errors.ts';
import type { LstmPolicyOptions, PolicyEpisode, PolicySample, PolicyStep, PolicyUpdate, SampleOptions, SequencePolicy } from './policy.ts';
import { lossBatch, reinforceLoss } from './reinforce-loss.ts';

export const DEFAULT_HIDDEN_UNITS = 32;
export const DEFAULT_LEARNING_RATE = 0.003;
export const DEFAULT_EMA_DECAY = 0.9;

/** The SequencePolicy with a look at its weights (to store a controller or check it by hand). */
export interface LstmPolicy extends SequencePolicy {
  readonly options: Readonly<Required<LstmPolicyOptions>>;
  weights(): PlainLstmWeights;
  /** Each acting step's action probabilities (0 for actions not allowed), in order: what sample() draws from. */
  probabilities(steps: readonly PolicyStep[]): number[][];
}

export function createLstmPolicy(opts: LstmPolicyOptions): LstmPolicy {
  checkOptions(opts);
  const options: Required<LstmPolicyOptions> = {
    featureSize: opts.featureSize,
    maxActions: opts.maxActions,
    hiddenUnits: opts.hiddenUnits ?? DEFAULT_HIDDEN_UNITS,
    learningRate: opts.learningRate ?? DEFAULT_LEARNING_RATE,
    emaDecay: opts.emaDecay ?? DEFAULT_EMA_DECAY,
    entropyBonus: opts.entropyBonus ?? 0,
    seed: opts.seed,
  };
  const rng = new SeededRandom(options.seed);
  const weights = initLstmWeights(rng, options.featureSize, options.hiddenUnits, options.maxActions);
  const optimizer = tf.train.adam(options.learningRate);
  const baseline = new EmaBaseline(options.emaDecay);
  let snapshot: WeightSnapshot | undefined; // the weights' values for sampling, read again after each update
  let disposed = false;
  const alive = (method: string): void => {
    if (disposed) throw new PolicyDisposedError(method);
  };

  const logitsOf = (steps: readonly PolicyStep[]): Float64Array => {
    const x = new Float32Array(steps.length * options.featureSize);
    steps.forEach((s, t) => x.set(s.features, t * options.featureSize));
    snapshot ??= snapshotWeights(weights);
    return bilstmLogitsJs(snapshot, x, steps.length);
  };

  return {
    options,

    sample(steps: readonly PolicyStep[], sampleOpts: SampleOptions = {}): PolicySample {
      alive('sample');
      checkSteps(steps, options.featureSize, options.maxActions);
      if (sampleOpts.forced !== undefined) checkActions(steps, sampleOpts.forced, 'forced action', false);
      return chooseActions(logitsOf(steps), options.maxActions, steps, rng, sampleOpts);
    },

    probabilities(steps: readonly PolicyStep[]): number[][] {
      alive('probabilities');
      checkSteps(steps, options.featureSize, options.maxActions);
      const logits = logitsOf(steps);
      return steps.flatMap((step, t) => (step.actionCount === 0 ? [] : [stepLogProbs(logits, t * options.maxActions, step).map(Math.exp)]));
    },

    update(episodes: readonly PolicyEpisode[]): PolicyUpdate {
      alive('update');
      if (episodes.length === 0) throw new PolicyInputError('LSTM policy: update() needs at least one episode');
      episodes.forEach((e, i) => {
        if (!Number.isFinite(e.reward)) throw new PolicyInputError(`LSTM policy: episode ${i} has reward ${e.reward}, not a finite number`);
        checkSteps(e.steps, options.featureSize, options.maxActions);
        checkActions(e.steps, e.actions, `episode ${i}'s action`, true);
      });
      const rewards = episodes.map((e) => e.reward);
      const b = baseline.before(rewards);
      let loss = 0;
      // No acting step in the batch: nothing depends on the weights, so no step to take.
      if (episodes.some((e) => e.actions.length > 0)) {
        const batch = lossBatch(episodes, b, options.featureSize, options.maxActions);
        loss = tf.tidy(() => {
          const value = optimizer.minimize(() => reinforceLoss(weights, batch, options.entropyBonus), true, trainableVariables(weights));
          return (value as tf.Scalar).dataSync()[0];
        });
        snapshot = undefined;
      }
      return { loss, baseline: baseline.add(rewards) };
    },

    weights(): PlainLstmWeights {
      alive('weights');
      return readLstmWeights(weights);
    },

    dispose(): void {
      if (disposed) return;
      disposed = true;
      optimizer.dispose();
      disposeLstmWeights(weights);
    },
  };
}
