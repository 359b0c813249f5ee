/**
 * Baselines that partition the unmodified model (no compression):
 * - DNN surgery (Hu et al., INFOCOM 2019): the partition of least latency at a bandwidth
 *   as a minimum s-t cut over the layer DAG. Source side = device. Each layer v has
 *   s -> v of its cloud ms (cut when v runs in the cloud) and v -> t of its device ms
 *   (cut when it runs on the device). Each produced tensor u (the input included) has an
 *   auxiliary node u': u -> u' of its transfer cost, u' -> w (infinite) for each reader w,
 *   so a tensor read by several cloud layers is paid once; w -> u (infinite) keeps data
 *   from flowing back from the cloud. The input is pinned to the device.
 *   The transfer model f(S|W) + S/W is linear in S with one intercept per transfer: the
 *   graph carries the per-byte part, the intercept is paid once by any partition that
 *   sends, so the all-device partition is compared with the cut separately. Exact for
 *   linear f with a non-negative intercept and profiles without cold lines; with cold
 *   lines (which depend on the whole set run) the cut is solved with the warm and with
 *   the cold lines and the better exact latency kept.
 * - Neurosurgeon (Kang et al., ASPLOS 2017): the best single cut in the layer list.
 */
import type { ModelAnalysis } from '../dnn/spec/analyze.ts';
import { tensorBytes } from '../dnn/spec/tensor-bytes.ts';
import { analysedLayerLatencyMs } from '../latency/compute-latency.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import { estimateLatency } from '../latency/estimate.ts';
import type { LatencyEstimate } from '../latency/estimate.ts';
import { firstPacketMs } from '../latency/transfer-latency.ts';
import { FlowGraph } from './max-flow.ts';
import { partitionLatency, prefixCutOf, prefixPartition, producerPositions } from './partition-latency.ts';
import type { PartitionLatency } from './partition-latency.ts';
import { SearchInputError } from './problem.ts';

export interface SurgeryResult {
  /** onDevice[i]: layer i runs on the device. */
  onDevice: boolean[];
  /** The cut when the device set is a prefix of the layer list, else null. */
  cut: number | null;
  latency: PartitionLatency;
}

function checkBandwidth(bandwidthMbps: number): void {
  if (!(bandwidthMbps > 0) || !Number.isFinite(bandwidthMbps)) throw new SearchInputError(`DNN surgery: bandwidth must be a finite number of Mbit/s > 0, got ${bandwidthMbps}`);
}

function coldVariant(p: DeviceProfile | null): DeviceProfile | null {
  if (p === null || p.cold === undefined) return p;
  return { ...p, compute: p.cold.compute, elementLines: p.cold.elementLines ?? p.elementLines, cold: undefined };
}

function withoutCold(p: DeviceProfile | null): DeviceProfile | null {
  return p === null || p.cold === undefined ? p : { ...p, cold: undefined };
}

/** The device set of the minimum cut with per-layer costs from these (cache-independent) lines. */
function minCutSet(analysis: ModelAnalysis, device: DeviceProfile, cloud: DeviceProfile | null, bandwidthMbps: number): boolean[] {
  const L = analysis.layers.length;
  const producers = producerPositions(analysis);
  // Nodes: 0 s, 1 t, 2 input, 3..L+2 layers, L+3.. one auxiliary node per read tensor.
  const S = 0;
  const T = 1;
  const node = (p: number): number => (p === -1 ? 2 : 3 + p);
  const readers = new Map<number, number[]>();
  producers.forEach((ps, w) => {
    for (const p of new Set(ps)) readers.set(p, [...(readers.get(p) ?? []), w]);
  });
  const g = new FlowGraph(3 + L + readers.size);
  g.addEdge(S, node(-1), Infinity);
  analysis.layers.forEach((l, i) => {
    g.addEdge(S, node(i), cloud === null ? 0 : analysedLayerLatencyMs(cloud, l));
    g.addEdge(node(i), T, analysedLayerLatencyMs(device, l));
  });
  const intercept = firstPacketMs(0, bandwidthMbps, device);
  let aux = 3 + L;
  for (const [p, ws] of readers) {
    const bytes = p === -1 ? tensorBytes(analysis.spec.inputShape) : analysis.layers[p].outputBytes;
    const perByte = Math.max(0, firstPacketMs(bytes, bandwidthMbps, device) - intercept) + (bytes * 8) / (bandwidthMbps * 1e3);
    g.addEdge(node(p), aux, perByte);
    for (const w of ws) {
      g.addEdge(aux, node(w), Infinity);
      g.addEdge(node(w), node(p), Infinity);
    }
    aux += 1;
  }
  const { sourceSide } = g.minCut(S, T);
  return analysis.layers.map((_, i) => sourceSide[node(i)]);
}

/** DNN surgery: the partition of least latency (Eq. 3) of the unmodified model at a bandwidth. */
export function dnnSurgery(analysis: ModelAnalysis, device: DeviceProfile, cloud: DeviceProfile | null, bandwidthMbps: number): SurgeryResult {
  checkBandwidth(bandwidthMbps);
  const L = analysis.layers.length;
  const candidates: boolean[][] = [prefixPartition(L, L)];
  candidates.push(minCutSet(analysis, withoutCold(device) as DeviceProfile, withoutCold(cloud), bandwidthMbps));
  if (device.cold !== undefined || cloud?.cold !== undefined) {
    candidates.push(minCutSet(analysis, coldVariant(device) as DeviceProfile, coldVariant(cloud), bandwidthMbps));
  }
  let best: SurgeryResult | null = null;
  for (const onDevice of candidates) {
    const latency = partitionLatency(analysis, onDevice, device, cloud, bandwidthMbps);
    if (best === null || latency.totalMs < best.latency.totalMs - 1e-12) best = { onDevice, cut: prefixCutOf(onDevice), latency };
  }
  return best as SurgeryResult;
}

export interface SingleCutResult {
  cut: number;
  latency: LatencyEstimate;
}

/** Neurosurgeon: the cut c in 0..L (layers [0, c) on the device) of least latency; ties to the later cut. */
export function bestSingleCut(analysis: ModelAnalysis, device: DeviceProfile, cloud: DeviceProfile | null, bandwidthMbps: number): SingleCutResult {
  checkBandwidth(bandwidthMbps);
  let best: SingleCutResult | null = null;
  for (let c = analysis.layers.length; c >= 0; c--) {
    const latency = estimateLatency(analysis, c, device, cloud, bandwidthMbps);
    if (best === null || latency.totalMs < best.latency.totalMs - 1e-12) best = { cut: c, latency };
  }
  return best as SingleCutResult;
}
