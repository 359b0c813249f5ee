/**
 * The controllers' contract (paper Sec. VI-C/D): a policy over a sequence of steps
 * (one per layer or block), each read by the controller and, when it has actions,
 * given one. The search algorithms (Alg. 1, Alg. 3) see only this interface.
 */

/** One element of the sequence the controller reads. */
export interface PolicyStep {
  /** The step's features (e.g. a layer's (l, k, s, p, n)), length featureSize, best scaled to about [-1, 1]. */
  features: readonly number[];
  /** Number of actions at this step (at most maxActions); 0: an input-only step (read, no action taken). */
  actionCount: number;
  /** mask[i] false: action i is not allowed (length at least actionCount; entries beyond it are ignored). */
  mask?: readonly boolean[];
}

export interface PolicySample {
  /** One action per step with actionCount > 0, in order. */
  actions: number[];
  /** Sum over the acting steps of the log-probability of the chosen action (natural log). */
  logProb: number;
}

export interface PolicyEpisode {
  steps: readonly PolicyStep[];
  /** The actions taken, one per acting step, as sample() returned them. */
  actions: readonly number[];
  /** The episode's reward (gamma = 1: every step's return). */
  reward: number;
}

export interface SampleOptions {
  /** Take the most probable allowed action at every step instead of sampling. */
  greedy?: boolean;
  /** forced[i] (indexed like actions) fixes that action (exploration with fair chances); its log-probability still counts. */
  forced?: readonly (number | undefined)[];
}

export interface PolicyUpdate {
  /** The surrogate loss minimised: -mean((R - b) * logProb) - entropyBonus * mean entropy. */
  loss: number;
  /** The moving-average baseline after this batch's rewards joined it. */
  baseline: number;
}

export interface SequencePolicy {
  /** Samples one action per acting step (greedy: argmax). forced[i] (indexed like actions) fixes that action; its log-probability still counts. */
  sample(steps: readonly PolicyStep[], opts?: SampleOptions): PolicySample;
  /** Monte-Carlo policy gradient (REINFORCE, gamma = 1) with an exponential-moving-average baseline of rewards: one Adam step on the batch. */
  update(episodes: readonly PolicyEpisode[]): PolicyUpdate;
  dispose(): void;
}

export interface LstmPolicyOptions {
  /** Length of every step's features. */
  featureSize: number;
  /** Width of the shared softmax head: the most actions any step may have. */
  maxActions: number;
  /** LSTM units per direction (default 32). */
  hiddenUnits?: number;
  /** Adam learning rate (default 0.003: on the bandit test 0.01 settled on a wrong action at some steps for 2 seeds in 10, 0.003 for none). */
  learningRate?: number;
  /** Weight of the old baseline in the moving average (default 0.9). */
  emaDecay?: number;
  /** Weight of the policy's mean entropy per acting step, in reward units per nat (default 0). */
  entropyBonus?: number;
  /** Seeds the weights and the sampling. */
  seed: number;
}
