import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildNodeRunner } from './build-node-runner.ts';
import type { NodeRunnerBundle } from './build-node-runner.ts';
import { makeBenchPlan } from '../plan/make-bench-plan.ts';
import { parseRunnerOutput } from '../runner/runner-line.ts';
import type { BenchPlan } from '../bench-plan.ts';
import { parseModelRunnerOutput } from './model-runner-line.ts';
import { serializeModelSpec } from '../../dnn/formats/spec-json.ts';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { projectFile } from '../project-files.ts';

function hasNodeModulesAbove(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) return true;
    if (dirname(d) === d) return false;
  }
}

describe('bundled Node runner', () => {
  let dir = '';
  let bundle: NodeRunnerBundle;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgetree-runner-bundle-'));
    bundle = await buildNodeRunner(join(dir, 'device'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('runs a plan from a folder with no node_modules, on WASM, one line per case', () => {
    assert.ok(!hasNodeModulesAbove(bundle.dir), `${bundle.dir} must not see a node_modules`);
    assert.deepEqual(readdirSync(bundle.dir).sort(), [...bundle.files].sort());
    const full = makeBenchPlan({ suite: 'quick' });
    const ids = ['conv-k3-i32x32x9-o9-s1', 'fc-i31-o30', 'activation-i8x8x256'];
    const plan: BenchPlan = { ...full, warmup: 1, repeats: 3 };
    writeFileSync(join(bundle.dir, 'plan.json'), JSON.stringify(plan));
    writeFileSync(join(bundle.dir, 'skip.json'), JSON.stringify(['fc-i31-o30']));
    const r = spawnSync(process.execPath, ['edgetree-runner.cjs', '--plan', 'plan.json', '--skip', 'skip.json', '--only', ids.join(',')], { cwd: bundle.dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    assert.equal(r.status, 0, r.stderr);
    const { lines } = parseRunnerOutput(r.stdout);
    assert.deepEqual(lines.map((l) => l.type), ['start', 'measurement', 'measurement', 'summary']);
    const measured = lines.flatMap((l) => (l.type === 'measurement' ? [l.measurement] : []));
    assert.deepEqual(measured.map((m) => m.caseId), ['conv-k3-i32x32x9-o9-s1', 'activation-i8x8x256']);
    for (const m of measured) assert.match(m.backend, /^wasm \(SIMD/);
    const summary = lines[3];
    assert.ok(summary.type === 'summary' && summary.measured === 2 && summary.skipped === plan.cases.length - 2);
  });

  test('a bad plan or argument: exit 2 and a message naming the file and field', () => {
    writeFileSync(join(bundle.dir, 'bad.json'), JSON.stringify({ formatVersion: 1, suite: 'quick', warmup: 1, repeats: -1, cases: [] }));
    const bad = spawnSync(process.execPath, ['edgetree-runner.cjs', '--plan', 'bad.json'], { cwd: bundle.dir, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /bad\.json: repeats must be an integer >= 1, got -1/);
    assert.equal(bad.stdout, '');
    const unknown = spawnSync(process.execPath, ['edgetree-runner.cjs', '--plan', 'plan.json', '--only', 'no-such-case'], { cwd: bundle.dir, encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--only names cases not in the plan: no-such-case/);
    const missing = spawnSync(process.execPath, ['edgetree-runner.cjs'], { cwd: bundle.dir, encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--plan FILE is required/);
  });

  test('--runtime onnxruntime: refused with exit 3, naming the package, on a device without it; timed by ONNX Runtime where NODE_PATH finds it', () => {
    const plan: BenchPlan = { ...makeBenchPlan({ suite: 'quick' }), warmup: 1, repeats: 3 };
    writeFileSync(join(bundle.dir, 'plan.json'), JSON.stringify(plan));
    const ids = ['conv-k3-i32x32x9-o9-s1', 'bn-i32x32x64'];
    const args = ['edgetree-runner.cjs', '--plan', 'plan.json', '--only', ids.join(','), '--runtime', 'onnxruntime'];
    const missing = spawnSync(process.execPath, args, { cwd: bundle.dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    assert.equal(missing.status, 3);
    assert.match(missing.stderr, /onnxruntime: the package onnxruntime-node is not installed on this device/);
    const env = { PATH: process.env.PATH ?? '', NODE_PATH: projectFile('node_modules') };
    const r = spawnSync(process.execPath, args, { cwd: bundle.dir, encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    const measured = parseRunnerOutput(r.stdout).lines.flatMap((l) => (l.type === 'measurement' ? [l.measurement] : []));
    assert.deepEqual(measured.map((m) => m.caseId), ids);
    for (const m of measured) {
      assert.match(m.backend, /^onnxruntime \d+\.\d+\.\d+ \(cpu, 1 thread\)$/);
      assert.equal(m.runner, 'onnxruntime-node');
      assert.ok(m.medianMs > 0 && m.referenceMs !== undefined && m.referenceMs > 0, JSON.stringify(m));
    }

    // A whole model: ORT fuses the batch norm and the ReLU into the conv, so the conv layer carries their time and they read 0.
    const spec: ModelSpec = {
      name: 'conv-bn-relu-fc', inputShape: [16, 16, 8],
      layers: [
        { id: 'c1', type: 'conv', kernel: 3, stride: 1, padding: 'same', outChannels: 16 },
        { id: 'b1', type: 'bn' },
        { id: 'r1', type: 'activation', activation: 'relu' },
        { id: 'c2', type: 'conv', kernel: 3, stride: 2, padding: 'same', outChannels: 32 },
        { id: 'flat', type: 'flatten' },
        { id: 'fc', type: 'fc', outChannels: 10 },
      ],
    };
    writeFileSync(join(bundle.dir, 'models.json'), `[${serializeModelSpec(spec)}]`);
    const m = spawnSync(process.execPath, ['edgetree-runner.cjs', '--models', 'models.json', '--repeats', '5', '--runtime', 'onnxruntime'], { cwd: bundle.dir, encoding: 'utf8', env });
    assert.equal(m.status, 0, m.stderr);
    const out = parseModelRunnerOutput(m.stdout);
    assert.match(out.backend ?? '', /^onnxruntime /);
    const t = out.timings[0];
    const ms = Object.fromEntries(t.layers.map((l) => [l.layerId, l.medianMs]));
    assert.ok(ms.c1 > 0 && ms.c2 > 0 && ms.fc > 0, JSON.stringify(ms));
    assert.equal(ms.b1, 0);
    assert.equal(ms.r1, 0);
    // The layers' kernels take most of the run; the rest is ORT's own (layout changes, the call).
    const sum = t.layers.reduce((a, l) => a + l.medianMs, 0);
    assert.ok(sum > 0.3 * t.total.medianMs && sum < 1.5 * t.total.medianMs, `layers ${sum} ms, run ${t.total.medianMs} ms`);
  });
});
