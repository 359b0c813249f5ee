/** Errors of a browser bench session, each naming the session and what failed. */

/** A POSTed measurement that is not a well-formed timing of one of the plan's cases. */
export class BadMeasurementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadMeasurementError';
  }
}

/** The page reported a failure (backend would not start, a layer failed to build...). */
export class BenchPageReportedError extends Error {
  readonly caseId: string | undefined;
  constructor(sessionId: string, message: string, caseId: string | undefined) {
    super(`the browser runner page of session ${sessionId} failed${caseId ? ` on case "${caseId}"` : ''}: ${message}`);
    this.name = 'BenchPageReportedError';
    this.caseId = caseId;
  }
}

/** The session was closed or cancelled before every case was measured. */
export class BenchSessionStoppedError extends Error {
  constructor(sessionId: string, why: string, measured: number, total: number) {
    super(`browser bench session ${sessionId} stopped (${why}) with ${measured} of ${total} cases measured; resume it to time the rest`);
    this.name = 'BenchSessionStoppedError';
  }
}

/** The page has not been built (npm run build:bench-page). */
export class BenchPageNotBuiltError extends Error {
  constructor(dir: string) {
    super(`the browser runner page is not built: ${dir} has no index.html and bench-page.js; run "npm run build:bench-page"`);
    this.name = 'BenchPageNotBuiltError';
  }
}
