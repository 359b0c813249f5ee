/**
 * What `edgetree run` ends with: mean latency, how often each branch ran, and accuracy of the
 * predicted classes against the labels of the images fed (inference i ran image i mod labels).
 */
import type { InferenceTimeline } from '../runtime/core/inference-timeline.ts';

export interface RunSummary {
  inferences: number;
  meanTotalMs: number;
  meanEdgeMs: number;
  meanTransferMs: number;
  meanCloudMs: number;
  offloads: number;
  fallbacks: number;
  /** Each branch taken (node ids joined by '-') and how many inferences took it, most taken first. */
  branches: { branch: string; cut: number | null; count: number }[];
  correct: number;
  /** correct / inferences (0 when there were none). */
  accuracy: number;
}

export function summariseRun(ts: readonly InferenceTimeline[], labels: ArrayLike<number>): RunSummary {
  const mean = (f: (t: InferenceTimeline) => number): number => (ts.length === 0 ? 0 : ts.reduce((s, t) => s + f(t), 0) / ts.length);
  const counts = new Map<string, { branch: string; cut: number | null; count: number }>();
  let correct = 0;
  for (const t of ts) {
    const key = t.branch.join('-');
    const c = counts.get(key) ?? { branch: key, cut: t.cut, count: 0 };
    c.count++;
    counts.set(key, c);
    if (labels.length > 0 && t.predictedClass === labels[t.index % labels.length]) correct++;
  }
  return {
    inferences: ts.length,
    meanTotalMs: mean((t) => t.totalMs),
    meanEdgeMs: mean((t) => t.edgeMs),
    meanTransferMs: mean((t) => t.transferMs),
    meanCloudMs: mean((t) => t.cloudMs),
    offloads: ts.filter((t) => t.cut !== null && t.fallback === undefined).length,
    fallbacks: ts.filter((t) => t.fallback !== undefined).length,
    branches: [...counts.values()].sort((a, b) => b.count - a.count || a.branch.localeCompare(b.branch)),
    correct,
    accuracy: ts.length === 0 ? 0 : correct / ts.length,
  };
}
