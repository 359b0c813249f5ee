/** Errors of transfer calibration. */

/** Creating or shaping the test link failed: names the command and what the system said. */
export class ShapedLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapedLinkError';
  }
}

/** The shaped link needs root (CAP_NET_ADMIN) for `ip netns` and `tc`; this process does not have it. */
export class ShapedLinkPermissionError extends ShapedLinkError {
  constructor(command: string, detail: string) {
    super(`transfer calibration over a shaped link needs root (CAP_NET_ADMIN) to run "${command}": ${detail.trim()}; run the studio as root, or calibrate the link of a real device with transferOverTransport`);
    this.name = 'ShapedLinkPermissionError';
  }
}

/** An upload failed or the sender stopped: names the size, bandwidth and the sender's message. */
export class TransferRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransferRunError';
  }
}
