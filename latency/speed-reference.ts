/**
 * Timings taken while a shared device ran at different speeds, put on one scale: each
 * timing carries the median of a fixed reference layer timed in the same process a moment
 * after it (profiler/runner/speed-reference.ts); scaled by (the run's median reference /
 * its own reference), a timing reads as if the whole run had gone at the run's typical
 * speed. A profile keeps that typical reference (DeviceProfile.reference); a validation
 * takes a model timed with reference r, at r / reference.ms well above 1, as timed in a slow
 * stretch, and times it again.
 */
import { median } from './fit/least-squares.ts';

export interface ReferencedTiming {
  medianMs: number;
  referenceMs?: number;
}

/**
 * When every timing has a reference: the timings scaled to the run's median reference, and
 * that median; otherwise the timings unchanged and null (old runs, imports, other runners).
 */
export function normaliseToReference<T extends ReferencedTiming>(timings: readonly T[]): { timings: T[]; referenceMs: number | null } {
  const refs = timings.map((t) => t.referenceMs);
  if (timings.length === 0 || refs.some((r) => r === undefined || !(r > 0) || !Number.isFinite(r))) return { timings: [...timings], referenceMs: null };
  const typical = median(refs as number[]);
  return { timings: timings.map((t) => ({ ...t, medianMs: (t.medianMs * typical) / (t.referenceMs as number) })), referenceMs: typical };
}

/** How much slower (> 1) or faster the device ran than during calibration; null when either side has no reference. */
export function speedFactor(profileReferenceMs: number | undefined, referenceMs: number | undefined): number | null {
  if (profileReferenceMs === undefined || referenceMs === undefined || !(profileReferenceMs > 0) || !(referenceMs > 0)) return null;
  return referenceMs / profileReferenceMs;
}

/** A speed factor (reference now over at calibration) in words. */
export function speedWords(factor: number): string {
  const pctSlower = (factor - 1) * 100;
  if (Math.abs(pctSlower) < 0.05) return 'as during calibration';
  return `${Math.abs(pctSlower).toFixed(1)}% ${pctSlower > 0 ? 'slower' : 'faster'} than during calibration`;
}
