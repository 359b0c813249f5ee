import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CACHE_PROBE_SUFFIX, COLD_CASE_SUFFIX, makeBenchPlan } from './make-bench-plan.ts';
import { parseBenchPlan } from './parse-bench-plan.ts';
import { BenchPlanError } from './bench-plan-error.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { builtinModel } from '../../dnn/models/builtin.ts';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';

describe('makeBenchPlan', () => {
  test('the default quick plan spans the conv and FC MACCs of vgg11, alexnet and resnet18 on CIFAR-10, each kernel its own layers on request', () => {
    const plan = makeBenchPlan({ suite: 'quick', spanEachKernel: true });
    for (const k of [1, 3, 5, 7]) {
      const maccs = makeBenchPlan({ suite: 'quick' }).cases.filter((c) => c.kind === 'conv' && c.kernel === k).map((c) => c.macc);
      // Without the option every kernel spans all conv layers, 1,769,472 .. 37,748,736.
      assert.ok(Math.min(...maccs) <= 1_769_472 && Math.max(...maccs) >= 37_748_736 && Math.max(...maccs) < 1.1 * 37_748_736, `kernel ${k}`);
    }
    // By hand from the models: 3x3 convs run from 32*32*3*3*3*64 = 1,769,472 (vgg11/resnet18's first)
    // to 32*32*9*64*64 = 37,748,736 (resnet18); the 1x1 shortcuts of resnet18 from 16*16*64*128 = 2,097,152
    // to 4*4*256*512 = 2,097,152 as well; kernels the models lack (7) span all conv and depthwise layers.
    const span = (k: number, lo: number, hi: number): void => {
      const maccs = plan.cases.filter((c) => c.kind === 'conv' && c.kernel === k && c.spec.inputShape[0] >= 8).map((c) => c.macc);
      assert.equal(maccs.length, 10, `kernel ${k}`);
      assert.ok(Math.min(...maccs) <= lo, `kernel ${k} smallest ${Math.min(...maccs)}`);
      assert.ok(Math.max(...maccs) >= hi, `kernel ${k} largest ${Math.max(...maccs)}`);
      assert.ok(Math.max(...maccs) < 1.2 * hi, `kernel ${k} does not overshoot: ${Math.max(...maccs)}`);
    };
    span(3, 1_769_472, 37_748_736);
    span(1, 2_097_152, 2_097_152);
    span(7, 1_769_472, 37_748_736);
    const fc = plan.cases.filter((c) => c.kind === 'fc').map((c) => c.macc);
    assert.ok(Math.min(...fc) <= 1920 && Math.max(...fc) >= 1_572_864, `fc ${fc.join(', ')}`);
    for (const kind of ['depthwise', 'maxpool', 'bn', 'activation', 'add', 'gap', 'flatten']) assert.ok(plan.cases.some((c) => c.kind === kind), kind);
    // C1 / C2 keep a conv's kernel in their depthwise layer: a line per kernel of 3 and up (3 shapes past 3x3).
    const dw = (k: number): number => plan.cases.filter((c) => c.kind === 'depthwise' && c.kernel === k && c.flushBytes === undefined).length;
    assert.deepEqual([dw(1), dw(5), dw(7)], [0, 3, 3]);
    assert.ok(dw(3) >= 5);
    // Every case is one timed layer (FC takes a flatten in front) whose MACC is the layer's own.
    for (const c of plan.cases) {
      assert.equal(c.spec.layers[c.spec.layers.length - 1].type, c.kind === 'activation' ? 'activation' : c.kind, c.id);
      assert.equal(analyzeModel(c.spec).macc, c.macc, c.id);
    }
    // A hand-checked case: the largest kernel-3 target (10th, on a 32x32 map) needs c = sqrt(37,748,736 / (32*32*9)) = 64.
    const top = plan.cases.find((c) => c.id === 'conv-k3-i32x32x64-o64-s1');
    assert.ok(top);
    assert.equal(top.macc, 37_748_736);
  });

  test('each kernel has two weight cases, on 4x4 and 2x2 maps, holding about as many weights as the models\' largest conv of that kernel', () => {
    const plan = makeBenchPlan({ suite: 'quick', channelMultiple: 8 });
    const weightsOf = (id: string): number => analyzeModel(plan.cases.find((c) => c.id === id)!.spec).layers[0].params;
    // vgg11's conv7 and conv8 (3x3, 512 -> 512 on 2x2): 9 * 512 * 512 = 2,359,296 weights, and bias.
    assert.ok(plan.cases.some((c) => c.id === 'conv-k3-i2x2x512-o512-s1'));
    assert.ok(plan.cases.some((c) => c.id === 'conv-k3-i4x4x512-o512-s1'));
    assert.equal(weightsOf('conv-k3-i2x2x512-o512-s1'), 9 * 512 * 512 + 512);
    for (const k of [1, 5, 7]) {
      const small = plan.cases.filter((c) => c.kind === 'conv' && c.kernel === k && c.spec.inputShape[0] < 8);
      assert.deepEqual(small.map((c) => c.spec.inputShape[0]).sort(), [2, 4], `kernel ${k}`);
      // Weights per MACC are 1 / H²: a 2x2 map gives 16 times those of the grid's 8x8 cases, so the fit can tell the terms apart.
      for (const c of small) {
        const [h, , ch] = c.spec.inputShape;
        assert.ok(Math.abs(weightsOf(c.id) / c.macc - (1 + 1 / (k * k * ch)) / (h * h)) < 1e-12, c.id);
      }
    }
  });

  test('the cache probe: FC layers of 1 to 64 MiB of weights, timed warm only', () => {
    const plan = makeBenchPlan({ suite: 'quick', cacheProbe: true, coldFlushBytes: 64 << 20 });
    const probes = plan.cases.filter((c) => c.id.endsWith(CACHE_PROBE_SUFFIX));
    assert.deepEqual(probes.map((c) => (4 * analyzeModel(c.spec).layers[1].params) / 2 ** 20).map(Math.round), [1, 2, 4, 8, 16, 32, 64]);
    assert.ok(probes.every((c) => c.kind === 'fc' && c.flushBytes === undefined));
    assert.equal(plan.cases.filter((c) => c.id.includes(CACHE_PROBE_SUFFIX) && c.id.endsWith(COLD_CASE_SUFFIX)).length, 0);
    assert.equal(makeBenchPlan({ suite: 'quick' }).cases.filter((c) => c.id.endsWith(CACHE_PROBE_SUFFIX)).length, 0);
  });

  test('zero-MACC layers at several sizes spanning the models\' maps, for their element lines', () => {
    const plan = makeBenchPlan({ suite: 'quick' });
    const elements = (kind: string): number[] => plan.cases.filter((c) => c.kind === kind)
      .map((c) => analyzeModel(c.spec).layers.at(-1)?.outputShape.reduce((a, b) => a * b, 1) ?? 0);
    for (const kind of ['bn', 'activation', 'add']) {
      const n = elements(kind);
      // The models' BN/ReLU/add maps run from 2x2x128 = 512 to 32x32x64 = 65,536 elements.
      assert.ok(new Set(n).size >= 5, `${kind}: ${n.join(', ')}`);
      assert.ok(Math.min(...n) <= 512 && Math.max(...n) >= 65_536, `${kind}: ${n.join(', ')}`);
    }
    assert.ok(plan.cases.filter((c) => c.kind === 'gap').length >= 4);
    // 3x3 and 2x2 max pools both, so their line (per element read) covers both windows.
    assert.deepEqual([...new Set(plan.cases.filter((c) => c.kind === 'maxpool').map((c) => c.kernel))].sort(), [2, 3]);
    // An add joins two distinct tensors, as in a residual block: a ReLU of the input (untimed) and the input.
    const add = plan.cases.find((c) => c.id === 'add-i32x32x64');
    assert.ok(add);
    assert.deepEqual(add.spec.layers.map((l) => l.type), ['activation', 'add']);
    assert.deepEqual(add.spec.layers[1].inputs, ['branch', '@input']);
    assert.deepEqual(analyzeModel(add.spec).outputShape, [32, 32, 64]);
    // Warm-up by time as well as by count.
    assert.ok((plan.warmupMs ?? 0) >= 150);
  });

  test('cache-cold copies of the compute cases and channel counts rounded to a multiple, on request', () => {
    const plain = makeBenchPlan({ suite: 'quick' });
    const plan = makeBenchPlan({ suite: 'quick', coldFlushBytes: 64 << 20, channelMultiple: 8 });
    const compute = plan.cases.filter((c) => ['conv', 'depthwise', 'fc'].includes(c.kind) && c.flushBytes === undefined);
    const cold = plan.cases.filter((c) => c.flushBytes !== undefined);
    // One cold copy per compute case, same layer, id + "-cold"; zero-MACC kinds have none.
    assert.deepEqual(cold.map((c) => c.id), compute.map((c) => `${c.id}${COLD_CASE_SUFFIX}`));
    assert.ok(cold.every((c) => c.flushBytes === 64 << 20));
    assert.deepEqual(cold.map((c) => c.spec.layers), compute.map((c) => c.spec.layers));
    // Conv channels are multiples of 8 (at least 8): e.g. the largest 3x3 target 37,748,736 on 32x32 stays c = 64.
    for (const c of compute.filter((x) => x.kind === 'conv')) assert.equal((c.spec.layers[0].outChannels ?? 0) % 8, 0, c.id);
    assert.ok(plan.cases.some((c) => c.id === 'conv-k3-i32x32x64-o64-s1'));
    // The default plan keeps exact channel counts and no cold copies.
    assert.ok(plain.cases.some((c) => c.id === 'conv-k3-i32x32x9-o9-s1') && !plain.cases.some((c) => c.flushBytes !== undefined));
    // A cold copy's flush survives JSON and is checked.
    assert.deepEqual(parseBenchPlan(JSON.stringify(plan), 'p.json'), plan);
    const bad = JSON.parse(JSON.stringify(plan)) as { cases: Record<string, unknown>[] };
    const i = bad.cases.findIndex((c) => c.flushBytes !== undefined);
    bad.cases[i].flushBytes = -1;
    assert.throws(() => parseBenchPlan(JSON.stringify(bad), 'p.json'), /flushBytes must be an integer >= 0, got -1/);
  });

  test('quick is sized to finish well under 5 minutes at ~14 GMACC/s; full is denser', () => {
    const quick = makeBenchPlan({ suite: 'quick' });
    const full = makeBenchPlan({ suite: 'full' });
    const seconds = (p: typeof quick): number => p.cases.reduce((s, c) => s + c.macc, 0) * (p.warmup + p.repeats) / 14e9;
    assert.ok(seconds(quick) < 30, `quick computes ${seconds(quick)} s of MACCs`);
    // The bench measures the suite's duration (goal: 5 minutes); this bounds the plan that drives it.
    assert.ok(quick.cases.length <= 110, `quick has ${quick.cases.length} cases`);
    assert.ok(full.cases.length > 1.5 * quick.cases.length);
    assert.ok(full.repeats > quick.repeats);
  });

  test('ids are stable, unique, and name the shape', () => {
    const a = makeBenchPlan({ suite: 'full' });
    const b = makeBenchPlan({ suite: 'full' });
    assert.deepEqual(a.cases.map((c) => c.id), b.cases.map((c) => c.id));
    assert.equal(new Set(a.cases.map((c) => c.id)).size, a.cases.length);
    const conv = a.cases.find((c) => c.kind === 'conv');
    assert.ok(conv);
    const [h, w, cin] = conv.spec.inputShape;
    assert.equal(conv.id, `conv-k${conv.kernel}-i${h}x${w}x${cin}-o${conv.spec.layers[0].outChannels}-s1`);
  });

  test('kernel 11 on request; a model set drives the range', () => {
    const small: ModelSpec = {
      name: 'small', inputShape: [16, 16, 8],
      layers: [{ id: 'c', type: 'conv', kernel: 3, padding: 'same', outChannels: 16 }, { id: 'g', type: 'gap' }, { id: 'f', type: 'fc', outChannels: 4 }],
    };
    // conv: 16*16*9*8*16 = 294,912 MACCs; fc: 16*4 = 64.
    const plan = makeBenchPlan({ suite: 'quick', models: [analyzeModel(small)], kernels: [3, 11] });
    const k11 = plan.cases.filter((c) => c.kernel === 11 && c.kind === 'conv');
    assert.ok(k11.length > 0);
    assert.ok(!plan.cases.some((c) => c.kind === 'conv' && c.kernel === 5));
    const conv = plan.cases.filter((c) => c.kind === 'conv').map((c) => c.macc);
    assert.ok(Math.min(...conv) <= 294_912 && Math.max(...conv) >= 294_912 && Math.max(...conv) < 2 * 294_912, conv.join(', '));
    const fc = plan.cases.filter((c) => c.kind === 'fc').map((c) => c.macc);
    assert.ok(Math.min(...fc) <= 64 && Math.max(...fc) >= 64, fc.join(', '));
    // vgg11 alone: its fc layers set the FC range (5,120 .. 262,144).
    const vgg = makeBenchPlan({ suite: 'quick', models: [analyzeModel(builtinModel('vgg11', 'cifar10'))] });
    assert.ok(Math.max(...vgg.cases.filter((c) => c.kind === 'fc').map((c) => c.macc)) < 1_000_000);
  });

  test('bad options fail with the option named', () => {
    assert.throws(() => makeBenchPlan({ suite: 'huge' as 'quick' }), (e: unknown) => e instanceof BenchPlanError && /suite must be "quick" or "full", got "huge"/.test(e.message));
    assert.throws(() => makeBenchPlan({ suite: 'quick', kernels: [4] }), /kernel 4 is not one of 1, 3, 5, 7, 11/);
    assert.throws(() => makeBenchPlan({ suite: 'quick', kernels: [] }), /kernels must be a non-empty list/);
    assert.throws(() => makeBenchPlan({ suite: 'quick', kernels: [3, 3] }), /repeat a size/);
    assert.throws(() => makeBenchPlan({ suite: 'quick', models: [] }), /list of models is empty/);
  });
});

describe('parseBenchPlan', () => {
  test('a plan survives JSON and comes back equal', () => {
    const plan = makeBenchPlan({ suite: 'quick' });
    assert.deepEqual(parseBenchPlan(JSON.stringify(plan), 'plan.json'), plan);
  });

  test('bad plans name the file, the case and the field', () => {
    const plan = makeBenchPlan({ suite: 'quick' });
    const bad = (edit: (p: Record<string, unknown> & { cases: Record<string, unknown>[] }) => void): string => {
      const p = JSON.parse(JSON.stringify(plan)) as Record<string, unknown> & { cases: Record<string, unknown>[] };
      edit(p);
      return JSON.stringify(p);
    };
    assert.throws(() => parseBenchPlan('{oops', 'p.json'), (e: unknown) => e instanceof BenchPlanError && /^p\.json: not JSON/.test(e.message));
    assert.throws(() => parseBenchPlan(bad((p) => { p.repeats = 0; }), 'p.json'), /p\.json: repeats must be an integer >= 1, got 0/);
    assert.throws(() => parseBenchPlan(bad((p) => { p.warmupMs = -5; }), 'p.json'), /p\.json: warmupMs must be an integer >= 0, got -5/);
    assert.throws(() => parseBenchPlan(bad((p) => { p.timedMs = 'long'; }), 'p.json'), /p\.json: timedMs must be an integer >= 0, got "long"/);
    assert.throws(() => parseBenchPlan(bad((p) => { p.batchMs = 2.5; }), 'p.json'), /p\.json: batchMs must be an integer >= 0, got 2\.5/);
    assert.throws(() => parseBenchPlan(bad((p) => { p.cases = []; }), 'p.json'), /cases must be a non-empty list/);
    assert.throws(() => parseBenchPlan(bad((p) => { p.cases[1].id = p.cases[0].id; }), 'p.json'), /cases\[1\]: id "conv-k1-.*" appears twice/);
    assert.throws(() => parseBenchPlan(bad((p) => { p.cases[0].macc = 5; }), 'p.json'), /cases\[0\] \("conv-k1-.*"\): macc 5 does not match its layer/);
    assert.throws(() => parseBenchPlan(bad((p) => { p.cases[2].kind = 'lstm'; }), 'p.json'), /cases\[2\] .*kind "lstm" is not one of/);
    assert.throws(() => parseBenchPlan(bad((p) => { (p.cases[0].spec as { layers: unknown[] }).layers = []; }), 'p.json'), /cases\[0\] .*no layers/);
  });
});

test('the plan interleaves its fit groups, so a slow stretch cannot bend one whole line', () => {
  const plan = makeBenchPlan({ suite: 'quick' });
  const groupOf = (i: number): string => `${plan.cases[i].kind}/${plan.cases[i].kernel}`;
  // The first cases come from different groups: conv k=1, conv k=3, ...
  assert.notEqual(groupOf(0), groupOf(1));
  // Every conv kernel has a case among the first dozen.
  const firstDozen = new Set(plan.cases.slice(0, 12).map((c) => `${c.kind}/${c.kernel}`));
  for (const k of [1, 3, 5, 7]) assert.ok(firstDozen.has(`conv/${k}`), `conv k=${k} among the first 12: ${[...firstDozen].join(', ')}`);
  // Nothing lost or repeated.
  assert.equal(new Set(plan.cases.map((c) => c.id)).size, plan.cases.length);
});
