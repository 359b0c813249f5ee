/**
 * Checks of what callers hand the policy, so a wrong step fails with a message
 * naming it instead of as a shape error inside TF.js or a -1e9 log-probability.
 */
import { PolicyInputError } from './policy-errors.ts';
import type { LstmPolicyOptions, PolicyStep } from './policy.ts';

function isCount(n: number, min: number): boolean {
  return Number.isInteger(n) && n >= min;
}

export function checkOptions(opts: LstmPolicyOptions): void {
  if (!isCount(opts.featureSize, 1)) throw new PolicyInputError(`LSTM policy: featureSize ${opts.featureSize} is not a positive integer`);
  if (!isCount(opts.maxActions, 1)) throw new PolicyInputError(`LSTM policy: maxActions ${opts.maxActions} is not a positive integer`);
  if (opts.hiddenUnits !== undefined && !isCount(opts.hiddenUnits, 1)) throw new PolicyInputError(`LSTM policy: hiddenUnits ${opts.hiddenUnits} is not a positive integer`);
  if (opts.learningRate !== undefined && !(opts.learningRate > 0 && Number.isFinite(opts.learningRate))) throw new PolicyInputError(`LSTM policy: learningRate ${opts.learningRate} is not a positive number`);
  if (opts.emaDecay !== undefined && !(opts.emaDecay >= 0 && opts.emaDecay < 1)) throw new PolicyInputError(`LSTM policy: emaDecay ${opts.emaDecay} is not in [0, 1)`);
  if (opts.entropyBonus !== undefined && !(opts.entropyBonus >= 0 && Number.isFinite(opts.entropyBonus))) throw new PolicyInputError(`LSTM policy: entropyBonus ${opts.entropyBonus} is not a non-negative number`);
  if (!Number.isFinite(opts.seed)) throw new PolicyInputError(`LSTM policy: seed ${opts.seed} is not a finite number`);
}

/** Whether action a is allowed at the step (in range and not masked off). */
export function isAllowed(step: PolicyStep, a: number): boolean {
  return Number.isInteger(a) && a >= 0 && a < step.actionCount && (step.mask === undefined || step.mask[a] === true);
}

/** Checks each step against the policy's sizes; returns the number of acting steps. */
export function checkSteps(steps: readonly PolicyStep[], featureSize: number, maxActions: number): number {
  let acting = 0;
  steps.forEach((step, i) => {
    if (step.features.length !== featureSize) throw new PolicyInputError(`LSTM policy: step ${i} has ${step.features.length} features, the policy reads ${featureSize}`);
    if (!step.features.every(Number.isFinite)) throw new PolicyInputError(`LSTM policy: step ${i} has a feature that is not a finite number`);
    if (!isCount(step.actionCount, 0) || step.actionCount > maxActions) throw new PolicyInputError(`LSTM policy: step ${i} has actionCount ${step.actionCount}, not an integer in 0..${maxActions} (maxActions)`);
    if (step.actionCount === 0) return;
    acting += 1;
    if (step.mask !== undefined) {
      if (step.mask.length < step.actionCount) throw new PolicyInputError(`LSTM policy: step ${i} has a mask of length ${step.mask.length} for ${step.actionCount} actions`);
      if (!step.mask.slice(0, step.actionCount).includes(true)) throw new PolicyInputError(`LSTM policy: step ${i}'s mask allows none of its ${step.actionCount} actions`);
    }
  });
  return acting;
}

/** Checks actions (or forced actions, which may leave some undefined) against the acting steps. */
export function checkActions(steps: readonly PolicyStep[], actions: readonly (number | undefined)[], what: string, exact: boolean): void {
  const acting = steps.filter((s) => s.actionCount > 0);
  if (exact ? actions.length !== acting.length : actions.length > acting.length) {
    throw new PolicyInputError(`LSTM policy: ${what}s: ${actions.length} given for ${acting.length} acting steps`);
  }
  actions.forEach((a, i) => {
    if (a === undefined && !exact) return;
    if (a === undefined || !isAllowed(acting[i], a)) {
      throw new PolicyInputError(`LSTM policy: ${what} ${i} is ${a}, not an allowed action of its step (0..${acting[i].actionCount - 1}${acting[i].mask ? ' where the mask is true' : ''})`);
    }
  });
}
