/** What the runtime logs per inference (one JSON line per inference on the hosts). */
import type { BandwidthSourceKind } from './bandwidth-estimator.ts';

/** One block reached: the decision before it and the device time it took. */
export interface BlockStep {
  block: number;
  node: number;
  /** The bandwidth type chosen (index into levelsMbps). */
  level: number;
  /** The bandwidth seen at the decision. */
  bandwidthMbps: number;
  bandwidthSource: BandwidthSourceKind;
  /** Reading the estimate, mapping it to a type and following the child, without probeMs. */
  decisionMs: number;
  /** A probe run for this decision, else 0. */
  probeMs: number;
  /** Running the node's layers on the device. */
  edgeMs: number;
}

/** 'link too slow': the rate measured at the cut was under the node's offload guard, so nothing was sent. */
export type FallbackReason = 'cloud unreachable' | 'link too slow';

export interface InferenceTimeline {
  type: 'inference';
  index: number;
  /** Wall-clock start (ms since 1970). */
  startedAt: number;
  /** Node ids followed, one per block reached. */
  branch: number[];
  levels: number[];
  blocks: BlockStep[];
  /** Base cut offloaded at, or null (all on the device). */
  cut: number | null;
  /** Sum of the blocks' edge time (fallback not included). */
  edgeMs: number;
  /** Offload round trip minus the cloud's compute; 0 when nothing was sent. */
  transferMs: number;
  /** The cloud's own compute time; 0 when nothing was sent. */
  cloudMs: number;
  /** Bytes sent to the cloud (the offload body). */
  sentBytes: number;
  /** Sum of the blocks' decisionMs. */
  decisionMs: number;
  probeMs: number;
  /** When the cloud failed: the base layers run on the device from the cut on. */
  fallback?: FallbackReason;
  fallbackError?: string;
  /** Time of the failed offload attempt plus the layers run instead. */
  fallbackMs?: number;
  totalMs: number;
  /** Arg max of the logits, per image of the batch. */
  predictedClass: number;
  predictedClasses: number[];
  backend: string;
}
