/**
 * The REINFORCE baseline of paper Eq. 10: an exponential moving average of the
 * batches' mean rewards. It starts at the first batch's mean, so the first
 * update does not push every action up by the whole reward.
 */
export class EmaBaseline {
  private current: number | undefined;

  constructor(private readonly decay: number) {}

  /** The baseline to subtract from this batch's rewards (the batch mean when none yet). */
  before(rewards: readonly number[]): number {
    return this.current ?? mean(rewards);
  }

  /** Folds the batch in and returns the new baseline. */
  add(rewards: readonly number[]): number {
    const m = mean(rewards);
    this.current = this.current === undefined ? m : this.decay * this.current + (1 - this.decay) * m;
    return this.current;
  }
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
