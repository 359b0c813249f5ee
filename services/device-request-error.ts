/** A device request that names no usable device (unknown id, nothing awaiting confirmation). */
export class DeviceRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceRequestError';
  }
}
