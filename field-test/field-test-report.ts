/**
 * Measured against estimated per inference (the paper's Table V): the estimate for the branch taken
 * comes from the manifest's branch estimates, its transfer rescaled from the rate it was searched at
 * to the rate the link had (Eq. 6: S / W), and the reward is Eq. 7 of the mean accuracy and latency.
 */
import type { BundleBranch, BundleNode } from '../api/bundle/bundle-manifest.ts';
import type { InferenceTimeline } from '../runtime/core/inference-timeline.ts';
import { reward } from '../search/reward.ts';
import type { FieldInference, FieldMethodName, FieldMethodReport } from '../api/field-test-api.ts';

export type { FieldInference, FieldMethodReport };

/** Beyond this |measured / estimated - 1|, the profile's estimates are flagged. */
export const DRIFT_LIMIT = 0.1;

/** The manifest branch a timeline followed: its device node ids are a prefix of the branch's. */
export function branchOf(t: InferenceTimeline, branches: readonly BundleBranch[]): BundleBranch | null {
  return branches.find((b) => t.branch.every((id, i) => b.nodeIds[i] === id)) ?? null;
}

export function estimateAt(b: BundleBranch, mbps: number): number {
  const transfer = b.transferMs === 0 || mbps <= 0 ? b.transferMs : (b.transferMs * b.bandwidthMbps) / mbps;
  return b.edgeMs + transfer + b.cloudMs;
}

export function fieldReport(method: FieldMethodName, description: string, ts: readonly InferenceTimeline[], linkMbps: readonly number[], labels: ArrayLike<number>, branches: readonly BundleBranch[], nodes: readonly BundleNode[] = []): FieldMethodReport {
  const inferences = ts.map((t, i): FieldInference => {
    const b = branchOf(t, branches);
    // Finished on the device by the offload guard: the estimate of doing so, not of sending.
    const guarded = t.fallback === 'link too slow' ? nodes[t.branch[t.branch.length - 1]]?.offload?.guardDeviceMs ?? null : null;
    const estimatedMs = t.fallback === 'link too slow' ? guarded : b === null ? null : estimateAt(b, linkMbps[i]);
    return {
      index: t.index, branch: t.branch.join('-'), cut: t.cut, linkMbps: linkMbps[i], seenMbps: t.blocks[0]?.bandwidthMbps ?? 0,
      edgeMs: t.edgeMs, transferMs: t.transferMs, cloudMs: t.cloudMs, fallback: t.fallback !== undefined,
      measuredMs: t.totalMs, estimatedMs, ratio: estimatedMs === null || estimatedMs === 0 ? null : t.totalMs / estimatedMs,
      predictedClass: t.predictedClass,
      label: labels.length > 0 ? labels[t.index % labels.length] : -1,
      correct: labels.length > 0 && t.predictedClass === labels[t.index % labels.length],
    };
  });
  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);
  const meanMeasuredMs = mean(inferences.map((x) => x.measuredMs));
  const est = inferences.map((x) => x.estimatedMs);
  const meanEstimatedMs = est.length > 0 && est.every((x) => x !== null) ? mean(est as number[]) : null;
  const accuracy = inferences.length === 0 ? 0 : inferences.filter((x) => x.correct).length / inferences.length;
  const ratio = meanEstimatedMs === null || meanEstimatedMs === 0 ? null : meanMeasuredMs / meanEstimatedMs;
  return { method, description, inferences, meanMeasuredMs, meanEstimatedMs, ratio, accuracy, reward: reward(accuracy, meanMeasuredMs), drift: ratio !== null && Math.abs(ratio - 1) > DRIFT_LIMIT };
}
