/**
 * What a runner host prints, one JSON object per line, so whoever reads its output (the
 * calibration over a transport, a browser page's socket) stores each measurement as it
 * arrives and can tell a finished run from a cut-off one (no summary line). Pure.
 */
import type { Measurement } from '../measurement.ts';

export type RunnerLine =
  | { type: 'start'; backend: string; cases: number; /** How runs are summarised (ownTiming's words). */ timing?: string }
  | { type: 'measurement'; measurement: Measurement }
  | { type: 'summary'; measured: number; skipped: number; backend: string; elapsedMs: number };

export function encodeRunnerLine(line: RunnerLine): string {
  return JSON.stringify(line);
}

export interface ParsedRunnerOutput {
  lines: RunnerLine[];
  /** Lines that are not runner lines (library warnings, a half-written last line). */
  other: string[];
}

function isMeasurement(x: unknown): x is Measurement {
  const m = x as Partial<Measurement> | null;
  return typeof m === 'object' && m !== null && typeof m.caseId === 'string' && typeof m.medianMs === 'number' && Number.isFinite(m.medianMs)
    && typeof m.macc === 'number' && typeof m.backend === 'string' && typeof m.repeats === 'number';
}

/** Splits a runner's stdout into its lines; anything else is kept aside, never thrown on. */
export function parseRunnerOutput(stdout: string): ParsedRunnerOutput {
  const lines: RunnerLine[] = [];
  const other: string[] = [];
  for (const text of stdout.split('\n')) {
    const t = text.trim();
    if (t.length === 0) continue;
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      other.push(t);
      continue;
    }
    const line = v as Partial<RunnerLine> | null;
    if (line?.type === 'measurement' && isMeasurement((line as { measurement?: unknown }).measurement)) lines.push(line as RunnerLine);
    else if ((line?.type === 'summary' || line?.type === 'start') && typeof (line as { backend?: unknown }).backend === 'string') lines.push(line as RunnerLine);
    else other.push(t);
  }
  return { lines, other };
}
