/**
 * A micro-benchmark plan: single layers chosen to span the MACC range of the models
 * to be deployed. Each case is a one-layer ModelSpec, so every runner (TF.js in Node
 * or a browser, ONNX and TFLite exports for native tools) builds the same thing.
 */
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';

export type BenchKind = 'conv' | 'depthwise' | 'fc' | 'maxpool' | 'avgpool' | 'bn' | 'activation' | 'add' | 'gap' | 'flatten';
export const BENCH_KINDS: readonly BenchKind[] = ['conv', 'depthwise', 'fc', 'maxpool', 'avgpool', 'bn', 'activation', 'add', 'gap', 'flatten'];

export interface BenchCase {
  /** Stable across runs of the same plan, e.g. "conv-k3-i16x16x64-o128-s1": resume keys on it. */
  id: string;
  kind: BenchKind;
  /** Square kernel for conv, depthwise and pooling; null otherwise. */
  kernel: number | null;
  /** MACCs of the layer (paper Eq. 4, 5; 0 for pooling, BN, activations, add, gap, flatten). */
  macc: number;
  /** The one-layer model to build and time. */
  spec: ModelSpec;
  /** Overrides the plan's flushBytes for this case (a cache-cold copy of a case, id ending "-cold"). */
  flushBytes?: number;
}

export type BenchSuite = 'quick' | 'full';

export interface BenchPlan {
  formatVersion: 1;
  suite: BenchSuite;
  /** Untimed runs before timing each case (at least). */
  warmup: number;
  /**
   * Warm each case for at least this many ms as well as `warmup` runs: WASM code tiers up
   * over the first few hundred ms of a process, so a count alone leaves small cases cold.
   */
  warmupMs?: number;
  /** Timed runs per case (at least). */
  repeats: number;
  /** Keep timing a case, in batches of `repeats`, until the timed runs add up to this many ms. */
  timedMs?: number;
  /**
   * Summarise a case by the median of its batch means, batches of at least this many ms of
   * runs (profiler/runner/batch-means.ts: what holds under a CPU quota); absent: by its
   * median run. Cases with flushBytes are summarised by their median run.
   */
  batchMs?: number;
  /**
   * Before each timed run, write this many bytes of another buffer (one write per 64-byte
   * line), evicting the case's weights and input from the caches as the other layers of a
   * model do between two runs of one layer; 0 or absent: none (the case runs cache-warm).
   */
  flushBytes?: number;
  /**
   * Times every case this many times, each pass in other runner processes, keeping each
   * case's lowest median (profiler/plan/case-passes.ts); default 1.
   */
  passes?: number;
  cases: BenchCase[];
}
