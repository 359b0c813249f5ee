/**
 * Emulation over bandwidth traces (paper Alg. 2, Table IV): each inference starts at a
 * trace offset; the device computes its blocks in turn, and at each block boundary a tree
 * reads the rate in effect, maps it to the nearest bandwidth type (nearestLevel) and
 * follows that child. Bytes sent at the cut take the time the trace gives them from the
 * moment the device finishes (transferMsUnderTrace, Eq. 6 with f at the rate then); the
 * cloud part follows. Methods:
 * - fixed: one composition whatever the network (an optimal branch, a baseline's result);
 * - surgery: DNN surgery re-deciding its partition of the base from the rate at the start
 *   of each inference (the base's accuracy);
 * - tree: a model tree composed block by block; where the node it reaches cuts but the rate at
 *   the cut is below the offload guard (search/offload-guard.ts), it finishes on the device, as
 *   the runtime does.
 * Offsets are evenly spaced: offset i of M is i * duration / M.
 */
import { nearestLevel } from '../traces/contexts.ts';
import { rateAt, traceDurationS } from '../traces/trace.ts';
import type { BandwidthTrace } from '../traces/trace.ts';
import { transferMsUnderTrace } from '../latency/transfer-latency.ts';
import type { EvaluationPool } from './evaluation-pool.ts';
import type { ModelTree, TreeNode } from './model-tree.ts';
import { partitionParts } from './partition-latency.ts';
import type { PartitionParts } from './partition-latency.ts';
import type { Composition } from './problem.ts';
import { SearchInputError } from './problem.ts';
import { reward } from './reward.ts';
import { dnnSurgery } from './surgery.ts';
import { offloadGuardMbps } from './offload-guard.ts';

export type EmulatedMethod =
  | { kind: 'fixed'; name: string; composition: Composition }
  | { kind: 'surgery'; name: string }
  | { kind: 'tree'; name: string; tree: ModelTree };

export interface EmulatedInference {
  startS: number;
  latencyMs: number;
  accuracy: number;
  reward: number;
  /** The composition run (surgery: its cut when the partition is a prefix, else null). */
  composition: Composition | null;
  /** Tree: the bandwidth type chosen at each block reached. */
  levels?: number[];
}

export interface MethodSummary {
  method: string;
  inferences: number;
  /** Means over the inferences. */
  reward: number;
  latencyMs: number;
  accuracy: number;
}

export interface TraceEmulation {
  trace: string;
  methods: MethodSummary[];
}

export interface EmulationTable {
  traces: TraceEmulation[];
  /** Means over every inference of every trace, per method. */
  overall: MethodSummary[];
}

/** Inference starts: offset i of `count` is i * duration / count seconds. */
export function startOffsets(trace: BandwidthTrace, count: number): number[] {
  if (!Number.isInteger(count) || count < 1) throw new SearchInputError(`emulation: the number of start offsets must be a whole number >= 1, got ${count}`);
  const d = traceDurationS(trace);
  return Array.from({ length: count }, (_, i) => (i * d) / count);
}

export interface EmulatorOptions {
  /** Apply the offload guard to trees (default true, as the runtime does); off: Alg. 2 as the paper writes it. */
  offloadGuard?: boolean;
}

export class Emulator {
  private readonly pool: EvaluationPool;
  private readonly guard: boolean;
  private readonly surgeryByRate = new Map<number, { onDevice: boolean[]; parts: PartitionParts; cut: number | null }>();

  constructor(pool: EvaluationPool, opts: EmulatorOptions = {}) {
    this.pool = pool;
    this.guard = opts.offloadGuard ?? true;
  }

  /** A fixed composition started at `startS`. */
  async fixed(c: Composition, trace: BandwidthTrace, startS: number): Promise<EmulatedInference> {
    const s = this.pool.structure(c);
    return this.finish(s.composition, s.edgeMs, s.cutBytes, s.cloudMs, trace, startS);
  }

  /** DNN surgery, its partition decided from the rate at `startS`. */
  async surgery(trace: BandwidthTrace, startS: number): Promise<EmulatedInference> {
    // An outage at the start: decide as for a very poor link (1 kbit/s).
    const w = Math.max(rateAt(trace, startS), 1e-3);
    let chosen = this.surgeryByRate.get(w);
    if (chosen === undefined) {
      const { device, cloud } = this.pool.problem;
      const r = dnnSurgery(this.pool.base, device, cloud, w);
      chosen = { onDevice: r.onDevice, parts: partitionParts(this.pool.base, r.onDevice, device, cloud), cut: r.cut };
      this.surgeryByRate.set(w, chosen);
    }
    const L = this.pool.layerCount;
    const c = chosen.cut === null ? null : { cut: chosen.cut, variantIds: [] };
    const accuracy = await this.pool.accuracy({ cut: L, variantIds: [] });
    const edge = chosen.parts.edgeMs;
    const t = chosen.parts.sentBytes > 0 ? transferMsUnderTrace(chosen.parts.sentBytes, trace, startS + edge / 1000, this.pool.problem.device) : 0;
    const latencyMs = edge + t + chosen.parts.cloudMs;
    return { startS, latencyMs, accuracy, reward: reward(accuracy, latencyMs, this.pool.problem.reward), composition: c };
  }

  /** Alg. 2: the tree composed block by block from the rates met at the block boundaries. */
  async tree(tree: ModelTree, trace: BandwidthTrace, startS: number): Promise<EmulatedInference> {
    const levels: number[] = [];
    const variantIds: string[] = [];
    let node: TreeNode | null = null;
    let elapsedMs = 0;
    let seenMbps = 0;
    for (let d = 0; d < tree.blocks.length; d++) {
      seenMbps = rateAt(trace, startS + elapsedMs / 1000);
      const k = nearestLevel(tree.levelsMbps, seenMbps);
      levels.push(k);
      node = tree.nodes[node === null ? tree.roots[k] : node.children[k]];
      if (node.cloud) throw new SearchInputError(`model tree: node ${node.id} reached at block ${d} is under a cut`);
      variantIds.push(...node.variantIds);
      if (node.cut !== null) break;
      // Device time of the blocks done so far: the prefix composition up to the next block.
      const next = d + 1 < tree.blocks.length ? tree.blocks[d + 1].start : this.pool.layerCount;
      elapsedMs = this.pool.structure({ cut: next, variantIds }).edgeMs;
    }
    let final: Composition = { cut: (node as TreeNode).cut ?? this.pool.layerCount, variantIds };
    const guard = this.guard ? offloadGuardMbps(this.pool, final) : null;
    if (guard !== null && seenMbps < guard) final = { cut: this.pool.layerCount, variantIds };
    const s = this.pool.structure(final);
    const r = await this.finish(s.composition, s.edgeMs, s.cutBytes, s.cloudMs, trace, startS);
    return { ...r, levels };
  }

  async run(m: EmulatedMethod, trace: BandwidthTrace, startS: number): Promise<EmulatedInference> {
    if (m.kind === 'fixed') return this.fixed(m.composition, trace, startS);
    if (m.kind === 'surgery') return this.surgery(trace, startS);
    return this.tree(m.tree, trace, startS);
  }

  private async finish(c: Composition, edgeMs: number, bytes: number, cloudMs: number, trace: BandwidthTrace, startS: number): Promise<EmulatedInference> {
    const accuracy = await this.pool.accuracy(c);
    const t = c.cut === this.pool.layerCount ? 0 : transferMsUnderTrace(bytes, trace, startS + edgeMs / 1000, this.pool.problem.device);
    const latencyMs = edgeMs + t + cloudMs;
    return { startS, latencyMs, accuracy, reward: reward(accuracy, latencyMs, this.pool.problem.reward), composition: c };
  }
}

function summarise(method: string, runs: readonly EmulatedInference[]): MethodSummary {
  const mean = (f: (r: EmulatedInference) => number): number => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  return { method, inferences: runs.length, reward: mean((r) => r.reward), latencyMs: mean((r) => r.latencyMs), accuracy: mean((r) => r.accuracy) };
}

/**
 * Table IV: every method of each trace replayed from `offsets` evenly spaced starts; means
 * per trace and over all traces. Each trace lists its own methods (a tree is searched for
 * its trace's bandwidth types); methods are matched across traces by name.
 */
export async function emulate(pool: EvaluationPool, cases: readonly { trace: BandwidthTrace; methods: readonly EmulatedMethod[] }[], offsets: number, opts: EmulatorOptions = {}): Promise<EmulationTable> {
  const emulator = new Emulator(pool, opts);
  const all = new Map<string, EmulatedInference[]>();
  const traces: TraceEmulation[] = [];
  for (const { trace, methods } of cases) {
    const starts = startOffsets(trace, offsets);
    const rows: MethodSummary[] = [];
    for (const m of methods) {
      const runs: EmulatedInference[] = [];
      for (const s of starts) runs.push(await emulator.run(m, trace, s));
      rows.push(summarise(m.name, runs));
      all.set(m.name, [...(all.get(m.name) ?? []), ...runs]);
    }
    traces.push({ trace: trace.name, methods: rows });
  }
  return { traces, overall: [...all].map(([name, runs]) => summarise(name, runs)) };
}
