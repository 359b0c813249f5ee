/**
 * Latency of an arbitrary device/cloud partition of an unmodified model (a DAG): the
 * device runs a set of layers closed under "reads from" (data never flows back from the
 * cloud), every tensor a cloud layer reads from the device side (the input included) is
 * sent once, in one transfer, however many cloud layers read it. A prefix set is the cut
 * of latency/estimate.ts; this is what DNN surgery's min-cut optimises.
 */
import type { ModelAnalysis } from '../dnn/spec/analyze.ts';
import { MODEL_INPUT_ID } from '../dnn/spec/analyze.ts';
import { tensorBytes } from '../dnn/spec/tensor-bytes.ts';
import { analysedLayerLatencyMs } from '../latency/compute-latency.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import { transferMs } from '../latency/transfer-latency.ts';
import { SearchInputError } from './problem.ts';

/** The parts of a partition that do not depend on the bandwidth. */
export interface PartitionParts {
  edgeMs: number;
  cloudMs: number;
  /** Bytes of the distinct tensors sent (0 when the cloud runs nothing). */
  sentBytes: number;
}

export interface PartitionLatency extends PartitionParts {
  transferMs: number;
  totalMs: number;
}

/** Producer positions of each layer (-1: the model input). */
export function producerPositions(analysis: ModelAnalysis): number[][] {
  const position = new Map(analysis.layers.map((l) => [l.layer.id, l.index]));
  return analysis.layers.map((l) => l.inputIds.map((id) => (id === MODEL_INPUT_ID ? -1 : (position.get(id) as number))));
}

/** The profile whose lines estimate the given layers run together (its cold lines beyond its cache, as profileForRange). */
export function profileForLayers(analysis: ModelAnalysis, profile: DeviceProfile, positions: readonly number[]): DeviceProfile {
  const cold = profile.cold;
  if (cold === undefined) return profile;
  const weightBytes = positions.reduce((s, p) => s + 4 * analysis.layers[p].params, 0);
  if (weightBytes <= cold.cacheBytes) return profile;
  return { ...profile, compute: cold.compute, elementLines: cold.elementLines ?? profile.elementLines };
}

/** Edge ms, cloud ms and bytes sent of the partition; throws SearchInputError unless it is closed. */
export function partitionParts(analysis: ModelAnalysis, onDevice: readonly boolean[], device: DeviceProfile, cloud: DeviceProfile | null): PartitionParts {
  const L = analysis.layers.length;
  if (onDevice.length !== L) throw new SearchInputError(`partition of model "${analysis.spec.name}" lists ${onDevice.length} layers, the model has ${L}`);
  const producers = producerPositions(analysis);
  const sent = new Set<number>();
  for (let i = 0; i < L; i++) {
    for (const p of producers[i]) {
      const producerOnDevice = p === -1 || onDevice[p];
      if (onDevice[i] && !producerOnDevice) {
        throw new SearchInputError(`partition of model "${analysis.spec.name}": layer ${i} "${analysis.layers[i].layer.id}" is on the device but reads layer ${p} from the cloud`);
      }
      if (!onDevice[i] && producerOnDevice) sent.add(p);
    }
  }
  const devicePositions: number[] = [];
  const cloudPositions: number[] = [];
  for (let i = 0; i < L; i++) (onDevice[i] ? devicePositions : cloudPositions).push(i);
  const edgeLines = profileForLayers(analysis, device, devicePositions);
  const edgeMs = devicePositions.reduce((s, i) => s + analysedLayerLatencyMs(edgeLines, analysis.layers[i]), 0);
  let cloudMs = 0;
  if (cloud !== null) {
    const cloudLines = profileForLayers(analysis, cloud, cloudPositions);
    cloudMs = cloudPositions.reduce((s, i) => s + analysedLayerLatencyMs(cloudLines, analysis.layers[i]), 0);
  }
  let sentBytes = 0;
  for (const p of sent) sentBytes += p === -1 ? tensorBytes(analysis.spec.inputShape) : analysis.layers[p].outputBytes;
  return { edgeMs, cloudMs, sentBytes };
}

/** Eq. 3 for the partition at a constant bandwidth (Mbit/s). */
export function partitionLatency(analysis: ModelAnalysis, onDevice: readonly boolean[], device: DeviceProfile, cloud: DeviceProfile | null, bandwidthMbps: number): PartitionLatency {
  const parts = partitionParts(analysis, onDevice, device, cloud);
  const t = transferMs(parts.sentBytes, bandwidthMbps, device);
  return { ...parts, transferMs: t, totalMs: parts.edgeMs + t + parts.cloudMs };
}

/** The prefix partition of cut c: layers [0, c) on the device. */
export function prefixPartition(layerCount: number, cut: number): boolean[] {
  return Array.from({ length: layerCount }, (_, i) => i < cut);
}

/** The cut c when the partition is the prefix [0, c) of the layer list, else null. */
export function prefixCutOf(onDevice: readonly boolean[]): number | null {
  const c = onDevice.indexOf(false);
  if (c === -1) return onDevice.length;
  return onDevice.slice(c).some((d) => d) ? null : c;
}
