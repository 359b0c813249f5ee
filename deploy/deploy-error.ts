/** A deploy step that failed on a device; the message names the device and the step. */
export class DeployError extends Error {
  constructor(readonly deviceId: string, problem: string) {
    super(`deploy to ${deviceId}: ${problem}`);
    this.name = 'DeployError';
  }
}

/** A file on the device whose SHA-256 is not the manifest's: the push went wrong or it was changed there. */
export class RemoteChecksumError extends Error {
  constructor(readonly deviceId: string, readonly path: string, readonly expectedSha256: string, readonly actualSha256: string | null) {
    super(`deploy to ${deviceId}: ${path} on the device ${actualSha256 === null ? 'is missing' : `has SHA-256 ${actualSha256}, the manifest lists ${expectedSha256}`}`);
    this.name = 'RemoteChecksumError';
  }
}
