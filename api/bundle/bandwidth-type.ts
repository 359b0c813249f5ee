/**
 * The bandwidth type a measured rate falls in, from the manifest's thresholds: the same
 * choice as traces/contexts.ts nearestLevel (nearest level in log space, ties to the
 * lower level), written as K-1 boundaries so a runtime compares instead of searching.
 */
import type { BundleBandwidth } from './bundle-manifest.ts';

/** Boundaries between neighbouring levels (non-decreasing): their geometric means. */
export function bandwidthThresholds(levelsMbps: readonly number[]): number[] {
  return levelsMbps.slice(1).map((hi, i) => Math.sqrt(levelsMbps[i] * hi));
}

/** Type k where thresholds[k-1] < mbps <= thresholds[k]. */
export function bandwidthType(bandwidth: BundleBandwidth, mbps: number): number {
  let k = 0;
  while (k < bandwidth.thresholdsMbps.length && mbps > bandwidth.thresholdsMbps[k]) k++;
  return k;
}
