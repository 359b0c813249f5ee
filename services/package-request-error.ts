/** A package or deploy request that cannot be served; the message names the run, device or folder and what is wrong. */
export class PackageRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageRequestError';
  }
}
