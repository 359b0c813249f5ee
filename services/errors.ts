/** Errors of the application services (requests that name nothing usable). */

/** A profile file that is not JSON at all (its content is checked by the latency domain). */
export class ProfileImportError extends Error {
  readonly fileName: string;
  constructor(fileName: string, problem: string) {
    super(`${fileName}: ${problem}`);
    this.name = 'ProfileImportError';
    this.fileName = fileName;
  }
}
