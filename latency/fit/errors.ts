/** Errors of the latency-model fits. */

/** A group of points cannot be fitted (too few distinct x, a NaN, an empty group); names the group. */
export class FitError extends Error {
  readonly group: string;

  constructor(group: string, problem: string) {
    super(`cannot fit ${group}: ${problem}`);
    this.name = 'FitError';
    this.group = group;
  }
}
