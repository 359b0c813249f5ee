/** No usable fast TensorFlow.js backend, and the caller did not allow the slow cpu one. */
export class BackendUnavailableError extends Error {
  /** What was tried, one entry per backend, each saying why it failed. */
  readonly attempts: string[];

  constructor(attempts: string[], hint: string) {
    super(`no fast TensorFlow.js backend could start: ${attempts.join('; ')}. ${hint}`);
    this.name = 'BackendUnavailableError';
    this.attempts = attempts;
  }
}
