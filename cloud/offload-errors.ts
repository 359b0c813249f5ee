/**
 * Errors of offloadInference, one per way an offload can fail, so the device
 * runtime can tell "finish on the device" (unreachable, timed out, busy) from
 * "this request is wrong" (a 4xx). No Node imports: the browser host uses them too.
 */

/** The server could not be reached: refused, reset, no route, name not found. */
export class OffloadUnreachableError extends Error {
  readonly url: string;
  constructor(url: string, cause: string) {
    super(`cloud server ${url} is unreachable: ${cause}`);
    this.name = 'OffloadUnreachableError';
    this.url = url;
  }
}

/** No complete answer within the time allowed. */
export class OffloadTimeoutError extends Error {
  readonly url: string;
  readonly timeoutMs: number;
  constructor(url: string, timeoutMs: number) {
    super(`cloud server ${url} did not answer within ${timeoutMs} ms`);
    this.name = 'OffloadTimeoutError';
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired first. */
export class OffloadAbortedError extends Error {
  constructor(url: string) {
    super(`offload to ${url} was cancelled by the caller`);
    this.name = 'OffloadAbortedError';
  }
}

/** The server answered with an error status; `message` carries its {error} text. */
export class OffloadServerError extends Error {
  readonly url: string;
  readonly status: number;
  /** Seconds from Retry-After on a 503 (the server is busy), else undefined. */
  readonly retryAfterS: number | undefined;
  constructor(url: string, status: number, serverMessage: string, retryAfterS?: number) {
    super(`cloud server ${url} answered ${status}: ${serverMessage}`);
    this.name = 'OffloadServerError';
    this.url = url;
    this.status = status;
    this.retryAfterS = retryAfterS;
  }
}
