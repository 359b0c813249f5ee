/**
 * The memory pool of searched compositions (paper Sec. VII-A, "Training time"): a
 * composition's structure (composed spec, edge ms per block, bytes at the cut, cloud ms)
 * and its accuracy are computed once and kept under the composition's canonical key; the
 * pool counts oracle evaluations and cache hits. Accuracy is pooled by variant set, since
 * the cut does not change it (paper Eq. 2): the oracle is asked once per set.
 */
import { analyzeModel } from '../dnn/spec/analyze.ts';
import type { ModelAnalysis } from '../dnn/spec/analyze.ts';
import type { Block } from '../dnn/spec/blocks.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { analysedLayerLatencyMs, profileForRange, rangeLatencyMs } from '../latency/compute-latency.ts';
import { transferMs } from '../latency/transfer-latency.ts';
import { checkComposition, indexCatalog } from './catalog.ts';
import { composeSpec } from './compose-spec.ts';
import { accuracyKey, compositionKey } from './composition-key.ts';
import { SearchInputError } from './problem.ts';
import type { Composition, SearchProblem, VariantInfo } from './problem.ts';
import { reward } from './reward.ts';

/** What a composition costs apart from the bandwidth. */
export interface CompositionStructure {
  key: string;
  composition: Composition;
  spec: ModelSpec;
  /** Layers [0, composedCut) of `spec` run on the device. */
  composedCut: number;
  /** Device compute per base block (a block wholly in the cloud: 0), ms. */
  edgeMsPerBlock: number[];
  edgeMs: number;
  /** Float32 bytes sent at the cut (0 when all runs on the device). */
  cutBytes: number;
  /** Base layers [cut, L) on the cloud profile, ms (0 without a cloud profile). */
  cloudMs: number;
  /** MACCs run on the device. */
  edgeMacc: number;
}

export interface CompositionLatency {
  edgeMs: number;
  transferMs: number;
  cloudMs: number;
  totalMs: number;
}

export interface CompositionEvaluation {
  key: string;
  composition: Composition;
  bandwidthMbps: number;
  accuracy: number;
  latency: CompositionLatency;
  /** Eq. 7 with the problem's reward options. */
  reward: number;
}

export interface PoolStats {
  /** Calls of the accuracy oracle. */
  evaluations: number;
  /** Accuracy requests answered from the pool. */
  cacheHits: number;
  /** Distinct compositions whose structure was built. */
  structures: number;
}

export class EvaluationPool {
  readonly problem: SearchProblem;
  readonly base: ModelAnalysis;
  readonly catalog: ReadonlyMap<string, VariantInfo>;
  readonly blocks: readonly Block[];
  private readonly blockOfPosition: number[];
  private readonly structures = new Map<string, CompositionStructure>();
  private readonly accuracies = new Map<string, Promise<number>>();
  private readonly cloudMsByCut = new Map<number, number>();
  private evaluations = 0;
  private cacheHits = 0;

  /** `blocks` slice the base (see dnn/spec/blocks.ts); they attribute edge time to blocks. */
  constructor(problem: SearchProblem, blocks: readonly Block[], base: ModelAnalysis = analyzeModel(problem.base)) {
    this.problem = problem;
    this.base = base;
    this.catalog = indexCatalog(base, problem.catalog);
    const L = base.layers.length;
    if (blocks.length === 0 || blocks[0].start !== 0 || blocks[blocks.length - 1].end !== L || blocks.some((b, i) => i > 0 && b.start !== blocks[i - 1].end)) {
      throw new SearchInputError(`blocks [${blocks.map((b) => `${b.start}-${b.end}`).join(', ')}] do not tile model "${base.spec.name}" of ${L} layers`);
    }
    this.blocks = blocks;
    this.blockOfPosition = [];
    blocks.forEach((b, i) => {
      for (let p = b.start; p < b.end; p++) this.blockOfPosition[p] = i;
    });
  }

  get layerCount(): number {
    return this.base.layers.length;
  }

  stats(): PoolStats {
    return { evaluations: this.evaluations, cacheHits: this.cacheHits, structures: this.structures.size };
  }

  /** The composition's structure, built once per key. Throws SearchInputError for an invalid composition. */
  structure(c: Composition): CompositionStructure {
    const key = compositionKey(c);
    const known = this.structures.get(key);
    if (known) return known;
    const variants = checkComposition(this.base, this.catalog, c);
    const composed = composeSpec(this.problem.base, variants, c.cut);
    let analysis: ModelAnalysis;
    try {
      analysis = analyzeModel(composed.spec);
    } catch (e) {
      throw new SearchInputError(`composition ${key} of model "${this.base.spec.name}" does not form a valid model: ${(e as Error).message}`);
    }
    for (const v of variants) {
      const got = analysis.layers[composed.variantOutput.get(v.id) as number].outputShape;
      const want = this.base.layers[v.lastLayer].outputShape;
      if (got.join('x') !== want.join('x')) {
        throw new SearchInputError(`composition ${key} of model "${this.base.spec.name}": variant "${v.id}" outputs ${got.join('x')}, the layer it replaces ${want.join('x')}`);
      }
    }
    const lines = profileForRange(analysis, this.problem.device, 0, composed.composedCut);
    const edgeMsPerBlock = this.blocks.map(() => 0);
    let edgeMacc = 0;
    for (let i = 0; i < composed.composedCut; i++) {
      edgeMsPerBlock[this.blockOfPosition[composed.basePosition[i]]] += analysedLayerLatencyMs(lines, analysis.layers[i]);
      edgeMacc += analysis.layers[i].macc;
    }
    const s: CompositionStructure = {
      key,
      composition: { cut: c.cut, variantIds: variants.map((v) => v.id) },
      spec: composed.spec,
      composedCut: composed.composedCut,
      edgeMsPerBlock,
      edgeMs: edgeMsPerBlock.reduce((a, b) => a + b, 0),
      cutBytes: c.cut === this.layerCount ? 0 : analysis.cutBytes[composed.composedCut],
      cloudMs: this.cloudMs(c.cut),
      edgeMacc,
    };
    this.structures.set(key, s);
    return s;
  }

  /** Base layers [cut, L) on the cloud, ms. */
  cloudMs(cut: number): number {
    let ms = this.cloudMsByCut.get(cut);
    if (ms === undefined) {
      ms = this.problem.cloud === null ? 0 : rangeLatencyMs(this.base, this.problem.cloud, cut, this.layerCount);
      this.cloudMsByCut.set(cut, ms);
    }
    return ms;
  }

  /** Eq. 3 at a constant bandwidth (Mbit/s). */
  latency(c: Composition, bandwidthMbps: number): CompositionLatency {
    const s = this.structure(c);
    const t = c.cut === this.layerCount ? 0 : transferMs(s.cutBytes, bandwidthMbps, this.problem.device);
    return { edgeMs: s.edgeMs, transferMs: t, cloudMs: s.cloudMs, totalMs: s.edgeMs + t + s.cloudMs };
  }

  /** The composition's accuracy, from the pool or the oracle (once per variant set). */
  accuracy(c: Composition): Promise<number> {
    const s = this.structure(c);
    const key = accuracyKey(s.composition.variantIds);
    const known = this.accuracies.get(key);
    if (known) {
      this.cacheHits += 1;
      return known;
    }
    this.evaluations += 1;
    const asked = this.problem.accuracy(s.composition).then((a) => {
      if (!(a >= 0 && a <= 1)) throw new SearchInputError(`the accuracy oracle gave ${a} for composition ${s.key}; expected a fraction in [0, 1]`);
      return a;
    });
    this.accuracies.set(key, asked);
    return asked;
  }

  /** Accuracy, latency at the bandwidth and the reward (Eq. 7). */
  async evaluate(c: Composition, bandwidthMbps: number): Promise<CompositionEvaluation> {
    const s = this.structure(c);
    const accuracy = await this.accuracy(c);
    const latency = this.latency(c, bandwidthMbps);
    return { key: s.key, composition: s.composition, bandwidthMbps, accuracy, latency, reward: reward(accuracy, latency.totalMs, this.problem.reward) };
  }
}
