/**
 * What the search is given (paper Sec. V-VI): a base model, a catalogue of pluggable
 * compressed blocks (variants), the device and cloud profiles, an accuracy oracle and
 * the reward's bounds. A composition is one searched model: a cut plus the variants
 * spliced into the device side.
 */
import type { LayerSpec, ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { TechniqueId } from '../dnn/compress/technique.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import type { RewardOptions } from './reward.ts';

/**
 * A pluggable compressed block: replaces base layers [firstLayer..lastLayer] (inclusive,
 * indices into base.layers) by `layers`; the replacement's output (its last layer) has the
 * same shape as base layer lastLayer's output, so non-overlapping variants compose.
 * `layers[0]` may omit `inputs` (it then reads the layer before firstLayer) or name base ids.
 */
export interface VariantInfo {
  id: string;
  technique: TechniqueId;
  firstLayer: number;
  lastLayer: number;
  layers: readonly LayerSpec[];
}

/**
 * What runs: base layers [0, cut) on the device with the chosen variants spliced in, the
 * rest [cut, L) of the BASE model in the cloud; cut = 0 all cloud, cut = L all device.
 */
export interface Composition {
  cut: number;
  variantIds: readonly string[];
}

/** Accuracy in [0, 1] of a composition (a real evaluation behind a memory pool). The cut does not change it (paper Eq. 2). */
export type AccuracyOracle = (c: Composition) => Promise<number>;

export interface SearchProblem {
  base: ModelSpec;
  catalog: readonly VariantInfo[];
  device: DeviceProfile;
  /** null: the cloud's compute is taken as 0 ms. */
  cloud: DeviceProfile | null;
  accuracy: AccuracyOracle;
  reward: RewardOptions;
}

/** A search input that cannot be used; the message names the input and what is wrong. */
export class SearchInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchInputError';
  }
}
