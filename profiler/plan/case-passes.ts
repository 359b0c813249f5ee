/**
 * A plan may time every case in several passes (BenchPlan.passes), each in other runner
 * processes and beside other cases, and keep each case's lowest median: a process that
 * runs slow (load from elsewhere, a slow stretch of a shared machine) only ever adds time,
 * and rarely hits the same case twice. Each pass's measurement is stored under its own key
 * (`<case id>#<pass>`, the case id itself for pass 1), so a run that drops resumes where
 * it stopped.
 */
import type { BenchCase, BenchPlan } from '../bench-plan.ts';

const PASS_MARK = '#';

export interface PassItem {
  /** What the measurement is stored under. */
  key: string;
  pass: number;
  case: BenchCase;
}

export function planPasses(plan: Pick<BenchPlan, 'passes'>): number {
  return Math.max(1, Math.floor(plan.passes ?? 1));
}

export function passKey(caseId: string, pass: number): string {
  return pass <= 1 ? caseId : `${caseId}${PASS_MARK}${pass}`;
}

/** The case id a stored key belongs to. */
export function caseIdOfKey(key: string): string {
  const i = key.indexOf(PASS_MARK);
  return i < 0 ? key : key.slice(0, i);
}

/** Each item once per pass, pass by pass; even passes run the items in reverse, so each item's neighbours and process differ. */
export function inPassOrder<T>(items: readonly T[], passes: number): { pass: number; item: T }[] {
  const order: { pass: number; item: T }[] = [];
  for (let pass = 1; pass <= passes; pass++) {
    for (const item of pass % 2 === 0 ? [...items].reverse() : items) order.push({ pass, item });
  }
  return order;
}

/** Every measurement a plan asks for, in pass order. */
export function planItems(plan: BenchPlan): PassItem[] {
  return inPassOrder(plan.cases, planPasses(plan)).map(({ pass, item }) => ({ key: passKey(item.id, pass), pass, case: item }));
}

/** One measurement per case, the one with the lowest median over its passes, under the case's own id (arrival order of the first pass kept). */
export function bestOfPasses<T extends { caseId: string; medianMs: number }>(measurements: readonly T[]): T[] {
  const best = new Map<string, T>();
  for (const m of measurements) {
    const id = caseIdOfKey(m.caseId);
    const prev = best.get(id);
    if (prev === undefined || m.medianMs < prev.medianMs) best.set(id, { ...m, caseId: id });
  }
  return [...best.values()];
}
