/**
 * Measured versus estimated latency, with the figures nn-Meter reports: per item the
 * signed error (est − meas) / meas · 100, the share of items within ±10% and ±5%,
 * RMSE in ms and MAPE in %.
 */
import { FitError } from './errors.ts';

export interface MeasuredEstimated {
  name: string;
  measuredMs: number;
  estimatedMs: number;
}

export interface ValidationItem extends MeasuredEstimated {
  errorPct: number;
}

export interface ValidationMetrics {
  items: ValidationItem[];
  /** Share of items with |errorPct| <= 10, 0..1. */
  within10Pct: number;
  /** Share of items with |errorPct| <= 5, 0..1. */
  within5Pct: number;
  rmseMs: number;
  mapePct: number;
}

export function validationMetrics(pairs: readonly MeasuredEstimated[]): ValidationMetrics {
  if (pairs.length === 0) throw new FitError('validation', 'there are no measured models to compare');
  const items = pairs.map((p) => {
    if (!(p.measuredMs > 0) || !Number.isFinite(p.measuredMs)) throw new FitError(`validation of "${p.name}"`, `measured time must be a finite number of ms > 0, got ${p.measuredMs}`);
    if (!(p.estimatedMs >= 0) || !Number.isFinite(p.estimatedMs)) throw new FitError(`validation of "${p.name}"`, `estimated time must be a finite number of ms >= 0, got ${p.estimatedMs}`);
    return { name: p.name, measuredMs: p.measuredMs, estimatedMs: p.estimatedMs, errorPct: ((p.estimatedMs - p.measuredMs) / p.measuredMs) * 100 };
  });
  const n = items.length;
  // A tiny tolerance so that an error of exactly 10% (as computed in floating point) counts as within 10%.
  const within = (pct: number) => items.filter((i) => Math.abs(i.errorPct) <= pct + 1e-9).length / n;
  return {
    items,
    within10Pct: within(10),
    within5Pct: within(5),
    rmseMs: Math.sqrt(items.reduce((s, i) => s + (i.estimatedMs - i.measuredMs) ** 2, 0) / n),
    mapePct: items.reduce((s, i) => s + Math.abs(i.errorPct), 0) / n,
  };
}
