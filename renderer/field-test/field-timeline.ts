/**
 * Chart rows of a field test: per inference the stacked edge, transfer and cloud time with
 * the branch and link rate under it, and the measured-against-estimated points per method.
 */
import type { FieldMethodName, FieldMethodReport } from '../../api/field-test-api.ts';

export interface TimelineRow {
  /** 1-based, as the axis shows it. */
  n: number;
  branch: string;
  cut: number | null;
  linkMbps: number;
  seenMbps: number;
  edgeMs: number;
  transferMs: number;
  cloudMs: number;
  measuredMs: number;
  estimatedMs: number | null;
  fallback: boolean;
  correct: boolean;
}

export function timelineRows(report: FieldMethodReport): TimelineRow[] {
  return report.inferences.map((x) => ({
    n: x.index + 1, branch: x.branch, cut: x.cut, linkMbps: x.linkMbps, seenMbps: x.seenMbps,
    edgeMs: x.edgeMs, transferMs: x.transferMs, cloudMs: x.cloudMs, measuredMs: x.measuredMs, estimatedMs: x.estimatedMs,
    fallback: x.fallback, correct: x.correct,
  }));
}

export interface EstimatePoint {
  method: FieldMethodName;
  n: number;
  estimatedMs: number;
  measuredMs: number;
}

/** One series per method; inferences without an estimate (unknown branch) cannot be placed and are left out. */
export function estimatePoints(methods: readonly FieldMethodReport[]): { method: FieldMethodName; points: EstimatePoint[] }[] {
  return methods.map((m) => ({
    method: m.method,
    points: m.inferences.flatMap((x) => (x.estimatedMs === null ? [] : [{ method: m.method, n: x.index + 1, estimatedMs: x.estimatedMs, measuredMs: x.measuredMs }])),
  }));
}

/** The ratio as a signed percentage off the estimate: 1.23 -> "+23.0%". */
export function driftPercent(ratio: number): string {
  const pct = 100 * (ratio - 1);
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}
