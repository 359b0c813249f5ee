/**
 * The micro-benchmark grid: single layers whose MACCs span the compute layers of the
 * models to be deployed, so the fitted lines (MACC -> ms per kernel size) interpolate
 * rather than extrapolate. Conv per kernel size over log-spaced MACC targets (feature
 * size cycling through the models' usual sizes) and two weight cases on 4x4 and 2x2 maps, depthwise per kernel of 3 and up, FC over log-spaced
 * sizes, and the zero-MACC layers (max pooling 2x2 and 3x3, BN, ReLU, add, global
 * average pooling, flatten) at sizes spanning the models' feature maps for their element lines.
 */
import type { BenchCase, BenchPlan, BenchSuite } from '../bench-plan.ts';
import type { LayerSpec, ModelSpec } from '../../dnn/spec/layer-spec.ts';
import type { ModelAnalysis } from '../../dnn/spec/analyze.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { builtinModel, BUILTIN_MODEL_NAMES } from '../../dnn/models/builtin.ts';
import { BenchPlanError } from './bench-plan-error.ts';
import { benchCaseId } from './bench-case-id.ts';
import { logTargets } from './log-targets.ts';
import { BATCH_MS } from '../runner/batch-means.ts';

export interface BenchPlanOptions {
  suite: BenchSuite;
  /** The models to be deployed; default: the three built-in models on CIFAR-10. */
  models?: ModelAnalysis[];
  /** Conv kernel sizes; default 1, 3, 5, 7 (11 where asked). */
  kernels?: number[];
  /**
   * Span each kernel's own conv layers in the models (where they have some) rather than
   * the range of all conv and depthwise layers: more points where each line is used, and
   * its low end, which fixes the intercept of small layers, measured. Default false.
   */
  spanEachKernel?: boolean;
  /**
   * Add a cache-cold copy of every conv, depthwise and FC case (id + "-cold") that writes
   * this many bytes of another buffer before each timed run (see BenchPlan.flushBytes):
   * the lines for models whose weights exceed the cache. Zero-MACC layers get none: in a
   * model their input is the tensor just written, and their few weights stay cached.
   */
  coldFlushBytes?: number;
  /**
   * Round conv channel counts to this multiple (at least one multiple), as real networks
   * have them: SIMD kernels run odd channel counts (5, 9, 17) markedly slower per MACC,
   * which tilts a line fitted on them. Default 1 (exact targets).
   */
  channelMultiple?: number;
  /**
   * Add the cache probe: FC layers whose weights take CACHE_PROBE_MIB MiB (id + "-cache-probe"),
   * timed warm. Past the cache the runtime actually has, a repeat finds its weights in memory
   * and takes longer per weight (latency/fit/cache-knee.ts). Not fitted into the FC line.
   */
  cacheProbe?: boolean;
}

/** The suffix of a cache-probe case's id. */
export const CACHE_PROBE_SUFFIX = '-cache-probe';
/** The probe's weight sizes, MiB: up to twice the last-level caches of desktop CPUs (up to 32 MiB per core complex). */
export const CACHE_PROBE_MIB: readonly number[] = [1, 2, 4, 8, 16, 32, 64];
const PROBE_INPUTS = 1024;

/** The suffix of a cache-cold copy's case id. */
export const COLD_CASE_SUFFIX = '-cold';

export const DEFAULT_KERNELS: readonly number[] = [1, 3, 5, 7];
export const ALLOWED_KERNELS: readonly number[] = [1, 3, 5, 7, 11];

type Shape3 = [h: number, w: number, c: number];

interface SuiteShape {
  convTargets: number;
  fcTargets: number;
  featureSizes: number[];
  depthwise: [size: number, channels: number][];
  pools: [size: number, channels: number, kernel: number][];
  /** BN, ReLU and add at each shape: their element lines need several sizes spanning the models' maps. */
  elementwise: Shape3[];
  gap: Shape3[];
  flatten: Shape3[];
  warmup: number;
  warmupMs: number;
  repeats: number;
}

// Zero-MACC layers of the models touch from ~500 to 65,536 elements (32x32x64) on CIFAR-10.
const ELEMENTWISE: Shape3[] = [[32, 32, 64], [16, 16, 128], [16, 16, 64], [8, 8, 256], [8, 8, 128], [8, 8, 64], [4, 4, 64], [2, 2, 128]];
const GAP: Shape3[] = [[8, 8, 512], [16, 16, 64], [4, 4, 512], [8, 8, 64], [4, 4, 128], [2, 2, 128]];
const FLATTEN: Shape3[] = [[4, 4, 256], [4, 4, 64], [2, 2, 128], [2, 2, 32]];

const SUITES: Record<BenchSuite, SuiteShape> = {
  quick: {
    convTargets: 10, fcTargets: 8, featureSizes: [32, 16, 8],
    depthwise: [[8, 16], [8, 32], [16, 64], [32, 128], [32, 512]],
    pools: [[32, 64, 2], [16, 128, 2], [8, 128, 2], [4, 64, 2], [32, 64, 3], [16, 64, 3], [8, 128, 3]],
    elementwise: ELEMENTWISE, gap: GAP, flatten: FLATTEN,
    warmup: 10, warmupMs: 200, repeats: 40,
  },
  full: {
    convTargets: 20, fcTargets: 16, featureSizes: [32, 16, 8, 4],
    depthwise: [[32, 32], [32, 128], [32, 256], [16, 64], [16, 256], [16, 512], [8, 128], [8, 512], [4, 1024]],
    pools: [[32, 64, 2], [16, 128, 2], [8, 256, 2], [8, 128, 2], [4, 64, 2], [32, 64, 3], [16, 64, 3], [8, 128, 3], [4, 256, 3]],
    elementwise: [...ELEMENTWISE, [32, 32, 32], [4, 4, 512]], gap: GAP, flatten: FLATTEN,
    warmup: 20, warmupMs: 300, repeats: 100,
  },
};

interface MaccRange { lo: number; hi: number }

/** Makes the plan; throws BenchPlanError naming the bad option. */
export function makeBenchPlan(opts: BenchPlanOptions): BenchPlan {
  const suite = SUITES[opts.suite];
  if (suite === undefined) throw new BenchPlanError(`bench plan: suite must be "quick" or "full", got ${JSON.stringify(opts.suite)}`);
  const kernels = checkKernels(opts.kernels ?? [...DEFAULT_KERNELS]);
  const models = opts.models ?? defaultModels();
  if (!Array.isArray(models) || models.length === 0) throw new BenchPlanError('bench plan: the list of models is empty; give at least one model (or none for the built-ins)');
  models.forEach((m, i) => {
    if (!m || !Array.isArray(m.layers)) throw new BenchPlanError(`bench plan: models[${i}] is not a model analysis (no layers)`);
  });
  const conv = maccRange(models, ['conv', 'depthwise']) ?? maccRange(defaultModels(), ['conv', 'depthwise']);
  const fc = maccRange(models, ['fc']) ?? maccRange(defaultModels(), ['fc']);
  if (!conv || !fc) throw new BenchPlanError('bench plan: no compute layers to span');

  const cases: BenchCase[] = [];
  const seen = new Set<string>();
  const add = (c: BenchCase): void => {
    if (seen.has(c.id)) return;
    seen.add(c.id);
    cases.push(c);
  };
  for (const k of kernels) convCases(k, (opts.spanEachKernel === true ? maccRange(models, ['conv'], k) : null) ?? conv, suite, opts.channelMultiple ?? 1).forEach(add);
  const convWeights = maxWeights(models, 'conv') ?? maxWeights(defaultModels(), 'conv') ?? 0;
  for (const k of kernels) weightCases(k, maxWeights(models, 'conv', k) ?? convWeights, opts.channelMultiple ?? 1).forEach(add);
  // Depthwise at every kernel of 3 and up: C1 and C2 turn a k x k conv into a k x k depthwise one.
  // Kernels past 3 get the first, middle and last shapes only: enough for a line, and quick stays short.
  const ends = (xs: [number, number][]): [number, number][] => [...new Set([0, Math.floor(xs.length / 2), xs.length - 1])].map((i) => xs[i]);
  for (const [size, channels] of suite.depthwise) add(depthwiseCase(size, channels, 3));
  for (const k of kernels.filter((x) => x > 3)) for (const [size, channels] of ends(suite.depthwise)) add(depthwiseCase(size, channels, k));
  fcCases(fc, suite.fcTargets).forEach(add);
  for (const [size, channels, k] of suite.pools) add(poolCase(size, channels, k));
  for (const shape of suite.elementwise) {
    add(oneLayer('bn', null, shape, { id: 'bn', type: 'bn' }, benchCaseId('bn', shape)));
    add(oneLayer('activation', null, shape, { id: 'relu', type: 'activation', activation: 'relu' }, benchCaseId('activation', shape)));
    add(addCase(shape));
  }
  for (const shape of suite.gap) add(oneLayer('gap', null, shape, { id: 'gap', type: 'gap' }, benchCaseId('gap', shape)));
  for (const shape of suite.flatten) add(oneLayer('flatten', null, shape, { id: 'flatten', type: 'flatten' }, benchCaseId('flatten', shape)));
  if (opts.cacheProbe === true) CACHE_PROBE_MIB.forEach((mib) => add(cacheProbeCase(mib)));
  if (opts.coldFlushBytes !== undefined && opts.coldFlushBytes > 0) {
    const flushBytes = opts.coldFlushBytes;
    cases.filter((c) => (c.kind === 'conv' || c.kind === 'depthwise' || c.kind === 'fc') && !c.id.endsWith(CACHE_PROBE_SUFFIX))
      .forEach((c) => add({ ...c, id: `${c.id}${COLD_CASE_SUFFIX}`, flushBytes }));
  }
  return { formatVersion: 1, suite: opts.suite, warmup: suite.warmup, warmupMs: suite.warmupMs, repeats: suite.repeats, batchMs: BATCH_MS, cases: interleaveGroups(cases) };
}

/**
 * Orders the cases round-robin over their fit groups (kind, kernel, cold or not), so a
 * stretch of time when the device runs slow (a background job, thermal throttling)
 * touches a point or two of many lines instead of bending one whole line.
 */
export function interleaveGroups(cases: readonly BenchCase[]): BenchCase[] {
  const groups = new Map<string, BenchCase[]>();
  for (const c of cases) {
    const key = `${c.kind}/${c.kernel ?? '-'}/${c.flushBytes === undefined ? 'warm' : 'cold'}`;
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  const out: BenchCase[] = [];
  const queues = [...groups.values()];
  for (let i = 0; out.length < cases.length; i++) {
    for (const q of queues) if (i < q.length) out.push(q[i]);
  }
  return out;
}

function defaultModels(): ModelAnalysis[] {
  return BUILTIN_MODEL_NAMES.map((n) => analyzeModel(builtinModel(n, 'cifar10')));
}

function checkKernels(kernels: number[]): number[] {
  if (!Array.isArray(kernels) || kernels.length === 0) throw new BenchPlanError('bench plan: kernels must be a non-empty list of sizes');
  for (const k of kernels) {
    if (!ALLOWED_KERNELS.includes(k)) throw new BenchPlanError(`bench plan: kernel ${JSON.stringify(k)} is not one of ${ALLOWED_KERNELS.join(', ')}`);
  }
  if (new Set(kernels).size !== kernels.length) throw new BenchPlanError(`bench plan: kernels ${kernels.join(', ')} repeat a size`);
  return kernels;
}

function maccRange(models: ModelAnalysis[], types: string[], kernel?: number): MaccRange | null {
  const maccs = models.flatMap((m) => m.layers
    .filter((l) => types.includes(l.layer.type) && l.macc > 0 && (kernel === undefined || l.layer.kernel === kernel))
    .map((l) => l.macc));
  if (maccs.length === 0) return null;
  return { lo: Math.min(...maccs), hi: Math.max(...maccs) };
}

/**
 * Conv cases with cin = cout = c on an HxH map, 'same' padding, stride 1, so MACC = H²k²c².
 * The first target is half the smallest layer (c rounded down) and the last the largest
 * (c rounded up), so the grid covers both ends.
 */
function convCases(k: number, range: MaccRange, suite: SuiteShape, multiple: number): BenchCase[] {
  const sizes = suite.featureSizes.filter((h) => h >= k);
  const usable = sizes.length > 0 ? sizes : [suite.featureSizes[0]];
  const targets = logTargets(range.lo / 2, range.hi, suite.convTargets);
  return targets.map((t, j) => {
    const h = usable[j % usable.length];
    const exact = Math.sqrt(t / (h * h * k * k));
    const m = Math.max(1, Math.floor(multiple));
    const units = exact / m;
    const c = m * Math.max(1, j === 0 ? Math.floor(units) : j === targets.length - 1 ? Math.ceil(units) : Math.round(units));
    const id = benchCaseId('conv', [h, h, c], { kernel: k, out: c, stride: 1 });
    return oneLayer('conv', k, [h, h, c], { id: 'conv', type: 'conv', kernel: k, stride: 1, padding: 'same', outChannels: c }, id);
  });
}

/** Map sizes of the weight cases: 4 and 16 times the weights per MACC of an 8x8 case. */
export const WEIGHT_CASE_SIZES: readonly number[] = [4, 2];

/**
 * Convs on small maps with many channels, holding about as many weights as the models'
 * largest conv of the kernel: weights per MACC are 1 / H², so against the grid's 8x8 and
 * larger maps they tell a line's weight term from its MACC slope (ComputeLine).
 */
function weightCases(k: number, weights: number, multiple: number): BenchCase[] {
  if (!(weights > 0)) return [];
  const m = Math.max(1, Math.floor(multiple));
  const c = m * Math.max(1, Math.round(Math.sqrt(weights / (k * k)) / m));
  return WEIGHT_CASE_SIZES.map((h) => oneLayer('conv', k, [h, h, c], { id: 'conv', type: 'conv', kernel: k, stride: 1, padding: 'same', outChannels: c },
    benchCaseId('conv', [h, h, c], { kernel: k, out: c, stride: 1 })));
}

/** The most weights of one layer of `type` (of kernel `kernel`, when given) in the models; null when they have none. */
function maxWeights(models: ModelAnalysis[], type: string, kernel?: number): number | null {
  const ws = models.flatMap((m) => m.layers.filter((l) => l.layer.type === type && l.params > 0 && (kernel === undefined || l.layer.kernel === kernel)).map((l) => l.params));
  return ws.length === 0 ? null : Math.max(...ws);
}

function depthwiseCase(size: number, channels: number, kernel: number): BenchCase {
  const id = benchCaseId('depthwise', [size, size, channels], { kernel, stride: 1 });
  return oneLayer('depthwise', kernel, [size, size, channels], { id: 'depthwise', type: 'depthwise', kernel, stride: 1, padding: 'same' }, id);
}

/** FC over log-spaced MACC targets; inputs alternate square and 4:1 wide. A flatten feeds the vector in. */
function fcCases(range: MaccRange, count: number): BenchCase[] {
  const targets = logTargets(range.lo / 2, range.hi, count);
  return targets.map((t, j) => {
    const inputs = Math.max(1, Math.round(Math.sqrt(t * (j % 2 === 0 ? 1 : 4))));
    const exact = t / inputs;
    const units = Math.max(1, j === 0 ? Math.floor(exact) : j === targets.length - 1 ? Math.ceil(exact) : Math.round(exact));
    const spec: ModelSpec = {
      name: benchCaseId('fc', [inputs], { out: units }),
      inputShape: [1, 1, inputs],
      layers: [{ id: 'flatten', type: 'flatten' }, { id: 'fc', type: 'fc', outChannels: units }],
    };
    return { id: spec.name, kind: 'fc', kernel: null, macc: analyzeModel(spec).macc, spec };
  });
}

/** An FC layer of PROBE_INPUTS inputs whose float32 weights take `mib` MiB. */
function cacheProbeCase(mib: number): BenchCase {
  const units = Math.round((mib * 2 ** 20) / 4 / PROBE_INPUTS);
  const id = `${benchCaseId('fc', [PROBE_INPUTS], { out: units })}${CACHE_PROBE_SUFFIX}`;
  const spec: ModelSpec = { name: id, inputShape: [1, 1, PROBE_INPUTS], layers: [{ id: 'flatten', type: 'flatten' }, { id: 'fc', type: 'fc', outChannels: units }] };
  return { id, kind: 'fc', kernel: null, macc: analyzeModel(spec).macc, spec };
}

function poolCase(size: number, channels: number, k: number): BenchCase {
  // 'same' padding, stride 2: the output is ceil(size / 2) square whatever k is.
  const id = benchCaseId('maxpool', [size, size, channels], { kernel: k, stride: 2 });
  return oneLayer('maxpool', k, [size, size, channels], { id: 'maxpool', type: 'maxpool', kernel: k, stride: 2, padding: 'same' }, id);
}

/**
 * A residual join as a model has it: two distinct tensors, one just written (a ReLU of the
 * input, untimed) and one written earlier (the input). The runner times the last layer.
 */
function addCase(shape: Shape3): BenchCase {
  const id = benchCaseId('add', shape);
  const spec: ModelSpec = {
    name: id, inputShape: shape,
    layers: [{ id: 'branch', type: 'activation', activation: 'relu' }, { id: 'add', type: 'add', inputs: ['branch', '@input'] }],
  };
  return { id, kind: 'add', kernel: null, macc: 0, spec };
}

function oneLayer(kind: BenchCase['kind'], kernel: number | null, input: Shape3, layer: LayerSpec, id: string): BenchCase {
  const spec: ModelSpec = { name: id, inputShape: input, layers: [layer] };
  return { id, kind, kernel, macc: analyzeModel(spec).macc, spec };
}
