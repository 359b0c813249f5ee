/**
 * The measurements table: one timed case per run, stored as it arrives so a device that
 * drops mid-suite loses nothing already measured; (run, case) is unique so a resumed run
 * can ask what it already has and skip it.
 */
import type { Database } from 'better-sqlite3';
import type { Measurement, RunnerKind } from '../profiler/measurement.ts';
import type { BenchKind } from '../profiler/bench-plan.ts';
import { StoreConflictError } from './errors.ts';

interface Row {
  run_id: number; case_id: string; kind: string; kernel: number | null; macc: number;
  median_ms: number; p25_ms: number; p75_ms: number; min_ms: number; max_ms: number;
  repeats: number; runner: string; backend: string; measured_at: string; reference_ms: number | null;
}

function fromRow(r: Row): Measurement {
  return {
    caseId: r.case_id, kind: r.kind as BenchKind | 'model', kernel: r.kernel, macc: r.macc,
    medianMs: r.median_ms, p25Ms: r.p25_ms, p75Ms: r.p75_ms, minMs: r.min_ms, maxMs: r.max_ms,
    repeats: r.repeats, runner: r.runner as RunnerKind, backend: r.backend, measuredAt: r.measured_at,
    ...(r.reference_ms !== null && { referenceMs: r.reference_ms }),
  };
}

/**
 * Stores one measurement of a run. A case already stored for the run is a conflict
 * (a runner that reports a case twice), not silently overwritten.
 */
export function insertMeasurement(db: Database, runId: string, m: Measurement): void {
  try {
    db.prepare(`INSERT INTO measurements
      (run_id, case_id, kind, kernel, macc, median_ms, p25_ms, p75_ms, min_ms, max_ms, repeats, runner, backend, measured_at, reference_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(runId, m.caseId, m.kind, m.kernel, m.macc, m.medianMs, m.p25Ms, m.p75Ms, m.minMs, m.maxMs, m.repeats, m.runner, m.backend, m.measuredAt, m.referenceMs ?? null);
  } catch (e) {
    const msg = (e as Error).message;
    if (/UNIQUE/.test(msg)) throw new StoreConflictError(`run ${runId}: case "${m.caseId}" is already measured`);
    if (/FOREIGN KEY/.test(msg)) throw new StoreConflictError(`run ${runId}: no such run to store case "${m.caseId}" under`);
    throw e;
  }
}

/** The run's measurements in the order they arrived. */
export function listMeasurements(db: Database, runId: string): Measurement[] {
  return (db.prepare('SELECT * FROM measurements WHERE run_id = ? ORDER BY id').all(runId) as Row[]).map(fromRow);
}

/** Case ids the run already has: what a resume skips. */
export function measuredCaseIds(db: Database, runId: string): Set<string> {
  const rows = db.prepare('SELECT case_id FROM measurements WHERE run_id = ?').all(runId) as { case_id: string }[];
  return new Set(rows.map((r) => r.case_id));
}
