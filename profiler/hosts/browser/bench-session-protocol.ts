/**
 * What the browser runner page and the studio's bench-session server say to each other.
 * Pure: bundled into the page as well as imported by the server.
 *   GET  /bench/?session=ID&token=T          the page
 *   GET  /bench/session/ID/plan              BenchPlanResponse (cases not yet measured)
 *   POST /bench/session/ID/measurement       one Measurement (JSON), 204 when stored
 *   POST /bench/session/ID/error             BenchPageErrorReport, 204
 * Every /bench/session/ call carries the session's token in TOKEN_HEADER.
 */
import type { BenchPlan } from '../../bench-plan.ts';

export const BENCH_TOKEN_HEADER = 'x-edgetree-bench-token';
export const BENCH_BASE_PATH = '/bench/';

export interface BenchPlanResponse {
  /** The plan with only the cases still to measure (a resumed session skips the others). */
  plan: BenchPlan;
  /** Cases of the whole plan, measured before this page or not. */
  total: number;
  /** Cases measured before (a resumed run) or already received in this session. */
  measured: number;
}

export interface BenchPageErrorReport {
  /** What failed, as the page shows it. */
  message: string;
  /** The case running when it failed, if any. */
  caseId?: string;
}

export function sessionPath(sessionId: string, what: 'plan' | 'measurement' | 'error'): string {
  return `${BENCH_BASE_PATH}session/${encodeURIComponent(sessionId)}/${what}`;
}
