/**
 * The reward curves of search runs on one trace, as chart rows (paper Fig. 7): x is the
 * episode over the whole run (for tree methods the boosting branch searches first, then
 * the tree stage, so tree, random and egreedy line up at equal budget), one column per run.
 */
import type { EpisodeRecord, SearchStatus } from '../../api/search-api.ts';

export interface CurveSeries {
  key: string;
  runId: string;
  label: string;
  points: EpisodeRecord[];
  /** Methods with no episodes (surgery, Neurosurgeon, exhaustive): their reward as a level line. */
  level: number | null;
}

/** The run's curve on a trace: finished (branch stages then tree stage) or live. */
export function runCurve(run: SearchStatus, traceId: string): EpisodeRecord[] {
  const done = run.traces.find((t) => t.traceId === traceId);
  if (done !== undefined) return [...done.branchCurves.flat(), ...done.curve];
  return run.live !== null && run.live.traceId === traceId ? run.live.curve : [];
}

export function curveSeries(runs: readonly SearchStatus[], traceId: string): CurveSeries[] {
  return runs.map((r) => {
    const done = r.traces.find((t) => t.traceId === traceId);
    const points = runCurve(r, traceId);
    return { key: `run-${r.runId}`, runId: r.runId, label: `${r.params.method} (run ${r.runId})`, points, level: points.length === 0 && done !== undefined ? done.reward : null };
  });
}

/** Rows { episode, run-<id>: reward } for a line chart; `best` plots the best so far instead. */
export function curveRows(series: readonly CurveSeries[], best: boolean): Record<string, number>[] {
  const n = Math.max(0, ...series.map((s) => s.points.length));
  return Array.from({ length: n }, (_, i) => {
    const row: Record<string, number> = { episode: i + 1 };
    for (const s of series) {
      const p = s.points[i];
      if (p !== undefined) row[s.key] = best ? Math.max(...s.points.slice(0, i + 1).map((q) => q.reward)) : p.reward;
    }
    return row;
  });
}
