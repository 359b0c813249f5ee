/**
 * Checks a measurement POSTed by the browser page before it is stored: the right shape,
 * finite non-negative timings in order (min <= p25 <= median <= p75 <= max), and one of the
 * session's cases with that case's kind, kernel and MACCs. Pure.
 */
import type { BenchCase } from '../../bench-plan.ts';
import type { Measurement } from '../../measurement.ts';
import { BadMeasurementError } from './bench-session-errors.ts';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const TIMES = ['minMs', 'p25Ms', 'medianMs', 'p75Ms', 'maxMs'] as const;

/** `cases` maps the session's case ids to their cases; `repeats` is the plan's. */
export function checkMeasurement(raw: unknown, cases: ReadonlyMap<string, BenchCase>, repeats: number): Measurement {
  if (!isRecord(raw)) throw new BadMeasurementError('a measurement must be a JSON object');
  const id = raw.caseId;
  if (typeof id !== 'string') throw new BadMeasurementError(`caseId must be a string, got ${JSON.stringify(id)}`);
  const c = cases.get(id);
  if (!c) throw new BadMeasurementError(`case "${id}" is not in this session's plan`);
  const where = `measurement of "${id}"`;
  if (raw.kind !== c.kind) throw new BadMeasurementError(`${where}: kind ${JSON.stringify(raw.kind)} is not the case's "${c.kind}"`);
  if (raw.kernel !== c.kernel) throw new BadMeasurementError(`${where}: kernel ${JSON.stringify(raw.kernel)} is not the case's ${JSON.stringify(c.kernel)}`);
  if (raw.macc !== c.macc) throw new BadMeasurementError(`${where}: macc ${JSON.stringify(raw.macc)} is not the case's ${c.macc}`);
  const t: number[] = [];
  for (const k of TIMES) {
    const v = raw[k];
    // JSON has no NaN or Infinity: JSON.stringify sends them as null, caught here too. Zero
    // is possible: a browser's clock is coarse (5 us isolated, 100 us otherwise).
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new BadMeasurementError(`${where}: ${k} must be a finite number of milliseconds >= 0, got ${JSON.stringify(v)}`);
    t.push(v);
  }
  for (let i = 1; i < t.length; i++) {
    if (t[i] < t[i - 1]) throw new BadMeasurementError(`${where}: ${TIMES[i]} (${t[i]}) is below ${TIMES[i - 1]} (${t[i - 1]})`);
  }
  if (raw.repeats !== repeats) throw new BadMeasurementError(`${where}: repeats ${JSON.stringify(raw.repeats)} is not the plan's ${repeats}`);
  if (raw.runner !== 'tfjs-browser') throw new BadMeasurementError(`${where}: runner must be "tfjs-browser", got ${JSON.stringify(raw.runner)}`);
  if (typeof raw.backend !== 'string' || raw.backend.trim() === '') throw new BadMeasurementError(`${where}: backend must name the backend that ran, got ${JSON.stringify(raw.backend)}`);
  if (typeof raw.measuredAt !== 'string' || Number.isNaN(Date.parse(raw.measuredAt))) {
    throw new BadMeasurementError(`${where}: measuredAt must be an ISO 8601 date, got ${JSON.stringify(raw.measuredAt)}`);
  }
  const [minMs, p25Ms, medianMs, p75Ms, maxMs] = t;
  return {
    caseId: id, kind: c.kind, kernel: c.kernel, macc: c.macc, medianMs, p25Ms, p75Ms, minMs, maxMs, repeats,
    runner: 'tfjs-browser', backend: raw.backend, measuredAt: new Date(raw.measuredAt).toISOString(),
  };
}
