// @serial: probes a loopback link and asserts the rate it reads; a neighbour test loading both cores starved the probe (0.3 Mbit/s).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../../engine/tfjs-backend.ts';
import { SpecExecutor } from '../../../dnn/tfjs/spec-executor.ts';
import { startCloudServer } from '../../../cloud/cloud-server.ts';
import type { CloudServer } from '../../../cloud/cloud-server.ts';
import { buildBundle } from '../../../bundle/build-bundle.ts';
import { TINY_BASE_WEIGHTS, tinyBundleInput } from '../../../bundle/testing/tiny-tree.ts';
import { TINY_CHAIN } from '../../../search/testing/tiny-problem.ts';
import { encodeImages } from '../../core/image-batch.ts';
import { parseRuntimeLines } from '../../core/runtime-line.ts';
import type { RuntimeLine } from '../../core/runtime-line.ts';
import type { InferenceTimeline } from '../../core/inference-timeline.ts';
import { InjectedBandwidth } from '../../core/bandwidth-estimator.ts';
import { TreeRuntime } from '../../core/tree-runtime.ts';
import { buildRuntimeNode, RUNTIME_NODE_FILE } from './build-runtime-node.ts';
import { loadBundleModel } from './load-bundle.ts';
import { runProcess } from '../../../test/fixtures/run-process.ts';
import type { ProcessOutput } from '../../../test/fixtures/run-process.ts';

const TOKEN = 'node-host-token';
const KEY = 'tiny/none';
let dir = '';
let bundleDir = '';
let server: CloudServer;
const IMAGES = 3;
const values = new Float32Array(IMAGES * 8 * 8 * 2).map((_, i) => Math.sin(i * 0.37) * 1.5);

function hasNodeModulesAbove(d: string): boolean {
  for (let x = d; ; x = dirname(x)) {
    if (existsSync(join(x, 'node_modules'))) return true;
    if (dirname(x) === x) return false;
  }
}

function runHost(args: string[]): Promise<ProcessOutput> {
  return runProcess(process.execPath, [join(bundleDir, 'runtime', RUNTIME_NODE_FILE), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
}

before(async () => {
  await initTfjsBackend();
  dir = mkdtempSync(join(tmpdir(), 'edgetree-runtime-node-'));
  server = await startCloudServer({ models: new Map([[KEY, { spec: TINY_CHAIN, weights: TINY_BASE_WEIGHTS }]]), token: TOKEN });
  const host = await buildRuntimeNode(join(dir, 'host'));
  bundleDir = join(dir, 'bundle');
  await buildBundle(await tinyBundleInput({
    weightsDtype: 'float32',
    cloud: { url: server.url, token: TOKEN, modelKey: KEY },
    runtime: { files: host.files.map((f) => ({ from: join(host.dir, f), path: `runtime/${f}` })), nodeEntry: `runtime/${RUNTIME_NODE_FILE}` },
  }), bundleDir);
  writeFileSync(join(dir, 'images.f32'), encodeImages(values));
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the same bundle gives in this process along `levels`: the classes to expect. */
async function inProcess(levels: number[]): Promise<number[]> {
  const { model } = await loadBundleModel(bundleDir);
  const classes: number[] = [];
  for (let i = 0; i < IMAGES; i++) {
    let d = 0;
    const rt = new TreeRuntime({ ...model, cloud: null }, { bandwidth: new InjectedBandwidth(() => model.levelsMbps[levels[Math.min(d++, levels.length - 1)]]), backend: 'wasm' });
    const x = tf.tensor4d(values.subarray(i * 128, (i + 1) * 128), [1, 8, 8, 2]);
    classes.push((await rt.infer(x)).timeline.predictedClass);
    x.dispose();
    rt.dispose();
  }
  return classes;
}

function baseClasses(): number[] {
  const ex = new SpecExecutor(TINY_CHAIN, TINY_BASE_WEIGHTS);
  const y = ex.predict(tf.tensor4d(values, [IMAGES, 8, 8, 2]));
  const c = Array.from(y.argMax(1).dataSync());
  y.dispose();
  ex.dispose();
  return c;
}

describe('runtime Node host (bundled, run from the bundle folder)', () => {
  test('a loopback cloud probes fast: each inference offloads as the good-link root says, one JSON line each, classes of the base model', async () => {
    assert.ok(!hasNodeModulesAbove(dir), `${dir} must not see a node_modules`);
    const r = await runHost(['--bundle', bundleDir, '--images', 'images.f32', '--count', '5']);
    assert.equal(r.code, 0, r.stderr);
    const lines: RuntimeLine[] = parseRuntimeLines(r.stdout);
    assert.deepEqual(lines.map((l) => l.type), ['start', 'inference', 'inference', 'inference', 'inference', 'inference', 'summary']);
    const start = lines[0];
    assert.ok(start.type === 'start' && /^wasm \(SIMD/.test(start.backend) && start.cloud === server.url && start.images === IMAGES);
    const ts = lines.filter((l): l is InferenceTimeline => l.type === 'inference');
    for (const t of ts) {
      assert.equal(t.levels[0], 1, `loopback read as ${t.blocks[0].bandwidthMbps} Mbit/s`);
      assert.equal(t.fallback, undefined);
      assert.ok(t.cut !== null && t.cloudMs > 0);
    }
    assert.equal(ts[0].blocks[0].bandwidthSource, 'probe');
    const expected = baseClasses();
    assert.deepEqual(ts.map((t) => t.predictedClass), [0, 1, 2, 0, 1].map((i) => expected[i]));
    const summary = lines[6];
    assert.ok(summary.type === 'summary' && summary.inferences === 5 && summary.offloads === 5 && summary.fallbacks === 0);
  });

  test('--cloud to an address nobody serves: the probe fails, the device branch runs all the way', async () => {
    const gone = await startCloudServer({ models: new Map([[KEY, { spec: TINY_CHAIN, weights: TINY_BASE_WEIGHTS }]]), token: TOKEN });
    const url = gone.url;
    await gone.close();
    const r = await runHost(['--bundle', bundleDir, '--images', 'images.f32', '--count', '3', '--cloud', url]);
    assert.equal(r.code, 0, r.stderr);
    const ts = parseRuntimeLines(r.stdout).filter((l): l is InferenceTimeline => l.type === 'inference');
    for (const t of ts) {
      assert.deepEqual(t.levels, [0, 0, 0]);
      assert.equal(t.cut, null);
      assert.equal(t.blocks[0].bandwidthSource, 'unreachable');
    }
    assert.deepEqual(ts.map((t) => t.predictedClass), await inProcess([0, 0, 0]));
  });

  test('bad arguments, images or a tampered bundle: exit 2 with a message naming them', async () => {
    const missing = await runHost(['--bundle', bundleDir, '--images', 'images.f32']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--count is required/);
    writeFileSync(join(dir, 'odd.f32'), new Uint8Array(100));
    const odd = await runHost(['--bundle', bundleDir, '--images', 'odd.f32', '--count', '1']);
    assert.equal(odd.code, 2);
    assert.match(odd.stderr, /odd\.f32: 100 bytes is not a whole number of float32 images of \[8, 8, 2\]/);
    const notBundle = await runHost(['--bundle', dir, '--images', 'images.f32', '--count', '1']);
    assert.equal(notBundle.code, 2);
    assert.match(notBundle.stderr, /no readable manifest\.json/);
    const tampered = join(dir, 'tampered');
    cpSync(bundleDir, tampered, { recursive: true });
    const weights = readdirSync(join(tampered, 'weights'))[0];
    const bytes = readFileSync(join(tampered, 'weights', weights));
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(join(tampered, 'weights', weights), bytes);
    const bad = await runHost(['--bundle', tampered, '--images', 'images.f32', '--count', '1']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, new RegExp(`file weights/${weights} has SHA-256 [0-9a-f]{64}, the manifest lists [0-9a-f]{64}: it was changed after packaging`));
  });
});
