/** A calibration that could not finish; what was measured before stays stored with its run. */
export class CalibrationError extends Error {
  /** The user cancelled it (the run is marked 'cancelled', not 'failed'). */
  readonly cancelled: boolean;
  constructor(message: string, options: { cause?: unknown; cancelled?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CalibrationError';
    this.cancelled = options.cancelled ?? false;
  }
}
