/** Errors of the application services (requests that name nothing usable). */

/** A request whose fields do not fit together (e.g. a cut past the model's last layer). */
export class ServiceRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceRequestError';
  }
}

/** A profile file that is not JSON at all (its content is checked by the latency domain). */
export class ProfileImportError extends Error {
  readonly fileName: string;
  constructor(fileName: string, problem: string) {
    super(`${fileName}: ${problem}`);
    this.name = 'ProfileImportError';
    this.fileName = fileName;
  }
}
