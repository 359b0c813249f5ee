/** Bytes that are not a well-formed offload frame or header; the message says which part and why. */
export class OffloadProtocolError extends Error {
  constructor(problem: string) {
    super(`offload protocol: ${problem}`);
    this.name = 'OffloadProtocolError';
  }
}
