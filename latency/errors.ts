/** Errors of the latency model. */

/** A device profile JSON that does not fit the format; names the source and the JSON path. */
export class ProfileFormatError extends Error {
  readonly source: string;
  readonly path: string;

  constructor(source: string, path: string, problem: string) {
    super(`${source}: ${path}: ${problem}`);
    this.name = 'ProfileFormatError';
    this.source = source;
    this.path = path;
  }
}

/** The profile has no latency line for a layer the model holds (no silent guess). */
export class ProfileCoverageError extends Error {
  constructor(profileName: string, problem: string) {
    super(`profile "${profileName}": ${problem}`);
    this.name = 'ProfileCoverageError';
  }
}

/** An estimate asked for something that cannot be: a cut outside the model, a bandwidth <= 0, ... */
export class LatencyInputError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'LatencyInputError';
  }
}
