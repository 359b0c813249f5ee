/**
 * End-to-end latency of one partitioned model (paper Eq. 3): T = T_e + T_t + T_c.
 * With `cut` = c, layers [0, c) run on the edge device, the tensors crossing the cut
 * (analysis.cutBytes[c]) go over the link, and layers [c, L) run in the cloud.
 * c = L: all on the edge, nothing sent. c = 0: the input is sent and everything runs
 * in the cloud. The result's return trip is ignored, as in the paper.
 * `cloud` null: the cloud's compute time is taken as 0 (a server far faster than the
 * device), so only T_e + T_t count.
 */
import type { ModelAnalysis } from '../dnn/spec/analyze.ts';
import type { BandwidthTrace } from '../traces/trace.ts';
import { rangeLatencyMs } from './compute-latency.ts';
import type { DeviceProfile } from './device-profile.ts';
import { LatencyInputError } from './errors.ts';
import { transferMs, transferMsUnderTrace } from './transfer-latency.ts';

export interface LatencyEstimate {
  /** T_e: layers [0, cut) on the edge device, ms. */
  edgeMs: number;
  /** T_t: sending cutBytes[cut] (Eq. 6), ms; 0 when cut = L. */
  transferMs: number;
  /** T_c: layers [cut, L) in the cloud, ms; 0 without a cloud profile. */
  cloudMs: number;
  /** edgeMs + transferMs + cloudMs. */
  totalMs: number;
}

function checkCut(analysis: ModelAnalysis, cut: number): number {
  const n = analysis.layers.length;
  if (!Number.isInteger(cut) || cut < 0 || cut > n) {
    throw new LatencyInputError(`cut ${cut} is not within model "${analysis.spec.name}": expected a whole number from 0 (all in the cloud) to ${n} (all on the device)`);
  }
  return n;
}

function assemble(analysis: ModelAnalysis, cut: number, edge: DeviceProfile, cloud: DeviceProfile | null, transfer: (bytes: number, edgeMs: number) => number): LatencyEstimate {
  const n = checkCut(analysis, cut);
  const edgeMs = rangeLatencyMs(analysis, edge, 0, cut);
  const t = cut === n ? 0 : transfer(analysis.cutBytes[cut], edgeMs);
  const cloudMs = cloud === null ? 0 : rangeLatencyMs(analysis, cloud, cut, n);
  return { edgeMs, transferMs: t, cloudMs, totalMs: edgeMs + t + cloudMs };
}

/** Eq. 3 at a constant bandwidth (Mbit/s); the edge profile's transfer model f(S|W) applies. */
export function estimateLatency(analysis: ModelAnalysis, cut: number, edge: DeviceProfile, cloud: DeviceProfile | null, bandwidthMbps: number): LatencyEstimate {
  return assemble(analysis, cut, edge, cloud, (bytes) => transferMs(bytes, bandwidthMbps, edge));
}

/**
 * Eq. 3 under a bandwidth trace: inference starts at `startS` (trace time, looping);
 * the edge computes first, so the transfer starts at startS + edgeMs / 1000.
 */
export function estimateLatencyUnderTrace(
  analysis: ModelAnalysis,
  cut: number,
  edge: DeviceProfile,
  cloud: DeviceProfile | null,
  trace: BandwidthTrace,
  startS: number,
): LatencyEstimate {
  if (!Number.isFinite(startS) || startS < 0) throw new LatencyInputError(`start time must be a finite number of seconds >= 0, got ${startS}`);
  return assemble(analysis, cut, edge, cloud, (bytes, edgeMs) => transferMsUnderTrace(bytes, trace, startS + edgeMs / 1000, edge));
}
