// The runtime page in Debian's headless Chromium (playwright-core) against a real session
// server and a cloud server on loopback; no phone here.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../../engine/tfjs-backend.ts';
import { SpecExecutor } from '../../../dnn/tfjs/spec-executor.ts';
import { startCloudServer } from '../../../cloud/cloud-server.ts';
import type { CloudServer } from '../../../cloud/cloud-server.ts';
import { buildBundle } from '../../../bundle/build-bundle.ts';
import { TINY_BASE_WEIGHTS, tinyBundleInput } from '../../../bundle/testing/tiny-tree.ts';
import { TINY_CHAIN } from '../../../search/testing/tiny-problem.ts';
import { encodeImages } from '../../core/image-batch.ts';
import { InjectedBandwidth } from '../../core/bandwidth-estimator.ts';
import { TreeRuntime } from '../../core/tree-runtime.ts';
import { loadBundleModel } from '../node/load-bundle.ts';
import { buildRuntimePage } from './build-runtime-page.ts';
import { startRuntimeSession } from './runtime-session-server.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TOKEN = 'page-cloud-token';
const KEY = 'tiny/none';
const IMAGES = 3;
const values = new Float32Array(IMAGES * 128).map((_, i) => Math.cos(i * 0.41) * 1.3);

let dir = '';
let pageDir = '';
let bundleDir = '';
let server: CloudServer;
let browser: Browser;

before(async () => {
  await initTfjsBackend();
  dir = mkdtempSync(join(tmpdir(), 'edgetree-runtime-page-'));
  pageDir = await buildRuntimePage(join(dir, 'page'));
  server = await startCloudServer({ models: new Map([[KEY, { spec: TINY_CHAIN, weights: TINY_BASE_WEIGHTS }]]), token: TOKEN });
  bundleDir = join(dir, 'bundle');
  await buildBundle(await tinyBundleInput({ weightsDtype: 'float32', cloud: { url: server.url, token: TOKEN, modelKey: KEY } }), bundleDir);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function baseClasses(): number[] {
  const ex = new SpecExecutor(TINY_CHAIN, TINY_BASE_WEIGHTS);
  const x = tf.tensor4d(values, [IMAGES, 8, 8, 2]);
  const y = ex.predict(x);
  const c = Array.from(y.argMax(1).dataSync());
  tf.dispose([x, y]);
  ex.dispose();
  return c;
}

describe('runtime browser host in headless Chromium', () => {
  test('the page loads and checks the bundle over HTTP, offloads to the cloud (CORS) and posts one timeline per inference', async () => {
    const s = await startRuntimeSession({ bundleDir, images: encodeImages(values), count: 4, pageDir });
    const page = await browser.newPage();
    try {
      await page.goto(s.url);
      const summary = await s.waitUntilDone(AbortSignal.timeout(60_000));
      await page.waitForSelector('body[data-state="done"]', { timeout: 10_000 });
      assert.match((await page.textContent('#backend')) ?? '', /^wasm \(/);
      const ts = s.timelines();
      assert.equal(ts.length, 4);
      assert.equal(s.start()?.backend, (await page.textContent('#backend')) ?? '');
      for (const t of ts) {
        assert.equal(t.levels[0], 1, `the page read loopback as ${t.blocks[0].bandwidthMbps} Mbit/s`);
        assert.ok(t.cut !== null && t.cloudMs > 0 && t.fallback === undefined, JSON.stringify(t));
      }
      const expected = baseClasses();
      assert.deepEqual(ts.map((t) => t.predictedClass), [0, 1, 2, 0].map((i) => expected[i]));
      assert.deepEqual([summary.inferences, summary.offloads, summary.fallbacks], [4, 4, 0]);
    } finally {
      await page.close();
      await s.close();
    }
  });

  test('a cloud nobody serves: the page stays on the device branch, with the classes the Node core gives', async () => {
    const gone = await startCloudServer({ models: new Map([[KEY, { spec: TINY_CHAIN, weights: TINY_BASE_WEIGHTS }]]), token: TOKEN });
    const deadUrl = gone.url;
    await gone.close();
    const s = await startRuntimeSession({ bundleDir, images: encodeImages(values), count: 3, pageDir, cloudUrl: deadUrl });
    const page = await browser.newPage();
    try {
      await page.goto(s.url);
      await s.waitUntilDone(AbortSignal.timeout(60_000));
      const ts = s.timelines();
      for (const t of ts) assert.deepEqual([t.levels, t.cut, t.blocks[0].bandwidthSource], [[0, 0, 0], null, 'unreachable']);
      const { model } = await loadBundleModel(bundleDir);
      const classes: number[] = [];
      for (let i = 0; i < IMAGES; i++) {
        const rt = new TreeRuntime({ ...model, cloud: null }, { bandwidth: new InjectedBandwidth(() => 0.05), backend: 'wasm' });
        const x = tf.tensor4d(values.subarray(i * 128, (i + 1) * 128), [1, 8, 8, 2]);
        classes.push((await rt.infer(x)).timeline.predictedClass);
        x.dispose();
        rt.dispose();
      }
      assert.deepEqual(ts.map((t) => t.predictedClass), classes);
    } finally {
      await page.close();
      await s.close();
    }
  });

  test('a tampered bundle: the page refuses it by name and the session reports the error', async () => {
    const { cpSync, readdirSync, readFileSync, writeFileSync } = await import('node:fs');
    const tampered = join(dir, 'tampered');
    cpSync(bundleDir, tampered, { recursive: true });
    const w = readdirSync(join(tampered, 'weights'))[0];
    const bytes = readFileSync(join(tampered, 'weights', w));
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(join(tampered, 'weights', w), bytes);
    const s = await startRuntimeSession({ bundleDir: tampered, images: encodeImages(values), count: 1, pageDir });
    const page = await browser.newPage();
    try {
      await page.goto(s.url);
      await assert.rejects(s.waitUntilDone(AbortSignal.timeout(60_000)), new RegExp(`runtime page failed: .*file weights/${w} has SHA-256 .* it was changed after packaging`));
      await page.waitForSelector('body[data-state="error"]', { timeout: 10_000 });
      assert.equal(s.timelines().length, 0);
    } finally {
      await page.close();
      await s.close();
    }
  });
});
