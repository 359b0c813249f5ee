/**
 * The MDP's actions per block of the model tree (paper Sec. V-A, VI-B):
 * - partition: one action for the block, L_b + 1 choices: action j < L_b cuts before the
 *   block's layer j (layers [start, start + j) run on the device, the rest of the model in
 *   the cloud; j = 0 at block 0 sends the input), action L_b is no cut in this block. Every
 *   cut 0..L is reached in exactly one way (L: no cut in any block).
 * - compression: one action per device-side layer that starts a variant: 0 = none, i = the
 *   i-th variant (by id) starting at that layer. Masked: variants that reach past the
 *   device side (would cross the cut) and variants that would overlap one chosen at an
 *   earlier layer. Only variants inside one block are searched (a block is the unit the
 *   tree plugs in); others are listed in `excluded`.
 */
import type { Block } from '../dnn/spec/blocks.ts';
import type { PolicyStep, SequencePolicy } from './controller/policy.ts';
import type { EvaluationPool } from './evaluation-pool.ts';
import { decisionFeatures, layerFeatures, skipFlags } from './mdp-features.ts';
import type { VariantInfo } from './problem.ts';
import { SearchInputError } from './problem.ts';

/** What one tree node decides for its block. */
export interface NodeChoice {
  /** Base position of the cut inside the block (start <= cut < end), or null: no cut in this block. */
  cut: number | null;
  /** Variants chosen in this block, by first layer. */
  variantIds: string[];
}

/** A range of base layers [start, end) whose positions the features are relative to: a block, or the whole model. */
export interface Span {
  start: number;
  end: number;
}

export interface CompressionSample {
  steps: PolicyStep[];
  actions: number[];
  variantIds: string[];
}

export class ActionSpace {
  readonly blocks: readonly Block[];
  readonly partitionActions: number;
  readonly compressionActions: number;
  /** Catalogue variants left out because they cross a block boundary. */
  readonly excluded: string[];
  private readonly pool: EvaluationPool;
  private readonly byFirstLayer = new Map<number, VariantInfo[]>();
  private readonly flags: { end: boolean[]; start: boolean[] };

  constructor(pool: EvaluationPool) {
    this.pool = pool;
    this.blocks = pool.blocks;
    this.flags = skipFlags(pool.base);
    this.excluded = [];
    const blockOf = (p: number): number => this.blocks.findIndex((b) => p >= b.start && p < b.end);
    for (const v of [...pool.catalog.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      if (blockOf(v.firstLayer) !== blockOf(v.lastLayer)) {
        this.excluded.push(v.id);
        continue;
      }
      this.byFirstLayer.set(v.firstLayer, [...(this.byFirstLayer.get(v.firstLayer) ?? []), v]);
    }
    this.partitionActions = Math.max(...this.blocks.map((b) => b.end - b.start)) + 1;
    this.compressionActions = 1 + Math.max(0, ...[...this.byFirstLayer.values()].map((vs) => vs.length));
  }

  /** A variant the search may choose, by id (undefined: not in the catalogue, or excluded). */
  variant(id: string): VariantInfo | undefined {
    for (const vs of this.byFirstLayer.values()) for (const v of vs) if (v.id === id) return v;
    return undefined;
  }

  /** Variants the search may choose that start at a base position. */
  variantsAt(position: number): readonly VariantInfo[] {
    return this.byFirstLayer.get(position) ?? [];
  }

  /** The block's layers (input-only steps), then the decision step with L_b + 1 actions. */
  partitionSteps(block: number, mbps: number): PolicyStep[] {
    const b = this.blocks[block];
    const steps: PolicyStep[] = [];
    for (let p = b.start; p < b.end; p++) steps.push({ features: layerFeatures(this.pool.base, this.flags, p, b, mbps), actionCount: 0 });
    steps.push({ features: decisionFeatures(mbps), actionCount: b.end - b.start + 1 });
    return steps;
  }

  /** The whole model as one span (Alg. 1's single partition action). */
  get modelSpan(): Span {
    return { start: 0, end: this.blocks[this.blocks.length - 1].end };
  }

  /**
   * Alg. 1's single partition action over the whole model: every layer (input-only
   * steps), then the decision step with L + 1 actions, action j = cut j (L: all on the device).
   */
  modelCutSteps(mbps: number): PolicyStep[] {
    const span = this.modelSpan;
    const steps: PolicyStep[] = [];
    for (let p = span.start; p < span.end; p++) steps.push({ features: layerFeatures(this.pool.base, this.flags, p, span, mbps), actionCount: 0 });
    steps.push({ features: decisionFeatures(mbps), actionCount: span.end + 1 });
    return steps;
  }

  cutOfAction(block: number, action: number): number | null {
    const b = this.blocks[block];
    return action === b.end - b.start ? null : b.start + action;
  }

  actionOfCut(block: number, cut: number | null): number {
    const b = this.blocks[block];
    if (cut === null) return b.end - b.start;
    if (!(cut >= b.start && cut < b.end)) throw new SearchInputError(`cut ${cut} is not inside block ${block} [${b.start}, ${b.end})`);
    return cut - b.start;
  }

  /** The end of the block's device side under a partition choice. */
  deviceEnd(block: number, cut: number | null): number {
    return cut ?? this.blocks[block].end;
  }

  /** The device-side layers [start, deviceEnd) as steps; layers that start a variant act. */
  compressionSteps(block: number, deviceEnd: number, mbps: number): { steps: PolicyStep[]; positions: number[] } {
    return this.compressionStepsIn(this.blocks[block], deviceEnd, mbps);
  }

  /** As compressionSteps, over the layers [span.start, deviceEnd) with positions relative to the span. */
  compressionStepsIn(b: Span, deviceEnd: number, mbps: number): { steps: PolicyStep[]; positions: number[] } {
    const steps: PolicyStep[] = [];
    const positions: number[] = [];
    for (let p = b.start; p < deviceEnd; p++) {
      const vs = this.variantsAt(p);
      const features = layerFeatures(this.pool.base, this.flags, p, b, mbps);
      if (vs.length === 0) {
        steps.push({ features, actionCount: 0 });
        continue;
      }
      steps.push({ features, actionCount: vs.length + 1, mask: [true, ...vs.map((v) => v.lastLayer < deviceEnd)] });
      positions.push(p);
    }
    return { steps, positions };
  }

  /**
   * Samples the compression actions of a block's device side. A variant overlapping one
   * chosen at an earlier layer is masked by resampling with the earlier actions forced:
   * the controller's distribution at a step does not depend on the actions before it, so
   * this draws exactly from the policy with the overlap masked. The steps returned carry
   * the masks the actions were drawn under (for the update).
   */
  sampleCompression(policy: SequencePolicy, block: number, deviceEnd: number, mbps: number, opts: { greedy?: boolean; forced?: readonly string[] } = {}): CompressionSample {
    return this.sampleCompressionIn(policy, this.blocks[block], deviceEnd, mbps, opts);
  }

  /** As sampleCompression, over the layers [span.start, deviceEnd) (Alg. 1: the whole device side). */
  sampleCompressionIn(policy: SequencePolicy, span: Span, deviceEnd: number, mbps: number, opts: { greedy?: boolean; forced?: readonly string[] } = {}): CompressionSample {
    const { steps, positions } = this.compressionStepsIn(span, deviceEnd, mbps);
    // No step with a choice (every variant masked): nothing to draw or to learn from.
    if (!steps.some((s) => s.mask !== undefined && s.mask.filter((m) => m).length > 1)) return { steps, actions: [], variantIds: [] };
    const acting = steps.map((s, i) => (s.actionCount > 0 ? i : -1)).filter((i) => i >= 0);
    const boosted = opts.forced === undefined ? undefined : positions.map((p) => 1 + this.variantsAt(p).findIndex((v) => opts.forced?.includes(v.id)));
    let forced: (number | undefined)[] | undefined = boosted;
    for (;;) {
      const { actions } = policy.sample(steps, { greedy: opts.greedy, forced });
      const conflict = this.firstOverlap(positions, actions);
      if (conflict === null) {
        // The steps a chosen variant covers could only take "none": say so in their masks.
        let reach = -1;
        actions.forEach((a, j) => {
          if (positions[j] <= reach) steps[acting[j]] = { ...steps[acting[j]], mask: (steps[acting[j]].mask as boolean[]).map((m, i) => m && i === 0) };
          if (a > 0) reach = Math.max(reach, this.variantsAt(positions[j])[a - 1].lastLayer);
        });
        return { steps, actions, variantIds: actions.flatMap((a, j) => (a === 0 ? [] : [this.variantsAt(positions[j])[a - 1].id])) };
      }
      if (boosted !== undefined) throw new SearchInputError(`layers [${span.start}, ${span.end}): the forced variants [${opts.forced?.join(', ')}] overlap`);
      // Mask the variants at this and later layers that the earlier choices cover, keep those choices, draw again.
      for (let j = conflict.step; j < positions.length && positions[j] <= conflict.reach; j++) {
        const s = steps[acting[j]];
        steps[acting[j]] = { ...s, mask: (s.mask as boolean[]).map((m, i) => m && i === 0) };
      }
      forced = actions.slice(0, conflict.step);
    }
  }

  /** The first acting step whose variant starts inside one chosen before it, with how far the earlier ones reach. */
  private firstOverlap(positions: readonly number[], actions: readonly number[]): { step: number; reach: number } | null {
    let reach = -1;
    for (let j = 0; j < positions.length; j++) {
      const a = actions[j];
      if (a === 0) continue;
      if (positions[j] <= reach) return { step: j, reach };
      reach = this.variantsAt(positions[j])[a - 1].lastLayer;
    }
    return null;
  }
}
