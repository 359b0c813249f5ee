/** A request the cloud server refuses: the HTTP status and the {error} text it answers with. */
export class CloudRequestError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'CloudRequestError';
    this.status = status;
    this.headers = headers;
  }
}
