/**
 * The reward of paper Eq. 7: R = w1 * N1(A) + w2 * N2(T), with
 * N1(A) = (A - Amin) / (Amax - Amin) and N2(T) = (Tmax - T) / (Tmax - Tmin).
 * The paper's setting (Sec. VIII): accuracy 50%..100% worth 100 points, latency
 * 0..500 ms worth 300, 400 in all. Unclamped (the paper's formula), an accuracy below
 * Amin or a latency above Tmax gives negative terms; with `clamp` each normalised term
 * is held within [0, 1].
 */

export interface RewardOptions {
  /** Accuracy (0..1) that scores 0 accuracy points. */
  accuracyMin: number;
  /** Accuracy (0..1) that scores the full accuracy weight. */
  accuracyMax: number;
  /** Points for accuracy at accuracyMax (w1). */
  accuracyWeight: number;
  /** Latency (ms) that scores the full latency weight. */
  latencyMinMs: number;
  /** Latency (ms) that scores 0 latency points. */
  latencyMaxMs: number;
  /** Points for latency at latencyMinMs (w2). */
  latencyWeight: number;
  /** Hold N1 and N2 within [0, 1]. */
  clamp: boolean;
}

export const PAPER_REWARD: Readonly<RewardOptions> = Object.freeze({
  accuracyMin: 0.5,
  accuracyMax: 1,
  accuracyWeight: 100,
  latencyMinMs: 0,
  latencyMaxMs: 500,
  latencyWeight: 300,
  clamp: false,
});

export class RewardOptionsError extends Error {
  constructor(problem: string) {
    super(`reward options: ${problem}`);
    this.name = 'RewardOptionsError';
  }
}

/** Throws RewardOptionsError unless min < max for both metrics, weights >= 0, all finite. */
export function checkRewardOptions(o: RewardOptions): RewardOptions {
  const finite = (v: number, name: string): void => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RewardOptionsError(`${name} must be a finite number, got ${String(v)}`);
  };
  finite(o.accuracyMin, 'accuracyMin');
  finite(o.accuracyMax, 'accuracyMax');
  finite(o.accuracyWeight, 'accuracyWeight');
  finite(o.latencyMinMs, 'latencyMinMs');
  finite(o.latencyMaxMs, 'latencyMaxMs');
  finite(o.latencyWeight, 'latencyWeight');
  if (!(o.accuracyMin < o.accuracyMax)) throw new RewardOptionsError(`accuracyMin ${o.accuracyMin} must be below accuracyMax ${o.accuracyMax}`);
  if (!(o.latencyMinMs < o.latencyMaxMs)) throw new RewardOptionsError(`latencyMinMs ${o.latencyMinMs} must be below latencyMaxMs ${o.latencyMaxMs}`);
  if (o.accuracyWeight < 0) throw new RewardOptionsError(`accuracyWeight must be >= 0, got ${o.accuracyWeight}`);
  if (o.latencyWeight < 0) throw new RewardOptionsError(`latencyWeight must be >= 0, got ${o.latencyWeight}`);
  if (typeof o.clamp !== 'boolean') throw new RewardOptionsError(`clamp must be true or false, got ${String(o.clamp)}`);
  return o;
}

/** Eq. 7 for an accuracy in [0, 1] (a fraction, not a percentage) and a latency in ms (>= 0). */
export function reward(accuracy: number, latencyMs: number, options: RewardOptions = PAPER_REWARD): number {
  checkRewardOptions(options);
  if (!Number.isFinite(accuracy) || accuracy < 0 || accuracy > 1) {
    throw new RangeError(`accuracy must be a fraction within [0, 1], got ${accuracy}`);
  }
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError(`latency must be a finite number of ms >= 0, got ${latencyMs}`);
  let n1 = (accuracy - options.accuracyMin) / (options.accuracyMax - options.accuracyMin);
  let n2 = (options.latencyMaxMs - latencyMs) / (options.latencyMaxMs - options.latencyMinMs);
  if (options.clamp) {
    n1 = Math.min(1, Math.max(0, n1));
    n2 = Math.min(1, Math.max(0, n2));
  }
  return options.accuracyWeight * n1 + options.latencyWeight * n2;
}
