/** The policy was given options, steps, actions or rewards it cannot use; the message names which and why. */
export class PolicyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyInputError';
  }
}

/** The policy was used after dispose(). */
export class PolicyDisposedError extends Error {
  constructor(method: string) {
    super(`LSTM policy: ${method}() called after dispose()`);
    this.name = 'PolicyDisposedError';
  }
}
