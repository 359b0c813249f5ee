/** A validation run that could not finish: names the model and the device or profile at fault. */
export class ValidationError extends Error {
  readonly cancelled: boolean;
  constructor(message: string, options: { cause?: unknown; cancelled?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ValidationError';
    this.cancelled = options.cancelled ?? false;
  }
}
