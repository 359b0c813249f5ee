/** A calibration or validation request that cannot be served as asked (wrong run kind, still running...). */
export class CalibrationRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalibrationRequestError';
  }
}
