/** The runner was told to stop (AbortSignal) before it finished its cases. */
export class RunnerAbortedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerAbortedError';
  }
}
