// @serial
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { startThrottledRelay } from '../runtime/testing/throttled-relay.ts';
import { startSshServer } from '../test/fixtures/ssh-server.ts';
import type { SshServerFixture } from '../test/fixtures/ssh-server.ts';
import { KnownHosts } from '../native-bridge/known-hosts.ts';
import { SshTransport } from '../native-bridge/ssh-transport.ts';
import { startCloudServer } from '../cloud/cloud-server.ts';
import type { CloudServer } from '../cloud/cloud-server.ts';
import { buildBundle } from '../bundle/build-bundle.ts';
import { TINY_BASE_WEIGHTS, tinyBundleInput } from '../bundle/testing/tiny-tree.ts';
import { TINY_CHAIN } from '../search/testing/tiny-problem.ts';
import { SpecExecutor } from '../dnn/tfjs/spec-executor.ts';
import { deployBundle } from '../deploy/deploy-bundle.ts';
import { buildRuntimeNode, RUNTIME_NODE_FILE } from '../runtime/hosts/node/build-runtime-node.ts';
import { encodeImages } from '../runtime/core/image-batch.ts';
import type { RuntimeLine } from '../runtime/core/runtime-line.ts';
import { runOnDevice } from './run-on-device.ts';
import { summariseRun } from './run-summary.ts';
import { DeviceRunDroppedError } from './device-run-errors.ts';

const TOKEN = 'run-token';
const KEY = 'tiny/none';
const IMAGES = 3;
const values = new Float32Array(IMAGES * 8 * 8 * 2).map((_, i) => Math.sin(i * 0.37) * 1.5);
let server: SshServerFixture;
let cloud: CloudServer;
let work = '';
let remoteBundle = '';
let root = '';
let knownHosts: KnownHosts;
let connect: () => Promise<SshTransport>;

function baseClasses(): number[] {
  const tensors = tf.memory().numTensors;
  const ex = new SpecExecutor(TINY_CHAIN, TINY_BASE_WEIGHTS);
  const x = tf.tensor4d(values, [IMAGES, 8, 8, 2]);
  const y = ex.predict(x);
  const c = tf.tidy(() => Array.from(y.argMax(1).dataSync()));
  tf.dispose([x, y]);
  ex.dispose();
  assert.equal(tf.memory().numTensors, tensors, 'leaked tensors');
  return c;
}

before(async () => {
  await initTfjsBackend();
  server = await startSshServer();
  work = await mkdtemp(join(tmpdir(), 'edgetree-run-ssh-'));
  knownHosts = new KnownHosts(work);
  await knownHosts.trust('127.0.0.1', server.port, server.hostFingerprint(), 'ssh-ed25519');
  connect = () => SshTransport.connect({ host: '127.0.0.1', port: server.port, username: server.username, privateKeyPath: server.userKeyPath, knownHosts });
  cloud = await startCloudServer({ models: new Map([[KEY, { spec: TINY_CHAIN, weights: TINY_BASE_WEIGHTS }]]), token: TOKEN });
  const host = await buildRuntimeNode(join(work, 'host'));
  const bundleDir = join(work, 'bundle');
  await buildBundle(await tinyBundleInput({
    weightsDtype: 'float32',
    cloud: { url: cloud.url, token: TOKEN, modelKey: KEY },
    runtime: { files: host.files.map((f) => ({ from: join(host.dir, f), path: `runtime/${f}` })), nodeEntry: `runtime/${RUNTIME_NODE_FILE}` },
  }), bundleDir);
  root = join(server.dir, 'device', 'edgetree');
  const t = await connect();
  try {
    await deployBundle(t, bundleDir, { remoteRoot: root });
  } finally {
    await t.close();
  }
  remoteBundle = `${root}/current`;
});

after(async () => {
  await cloud?.close();
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('runOnDevice over SSH (Debian OpenSSH on loopback, deployed tiny bundle, cloud on loopback)', { timeout: 90_000 }, () => {
  test('streams start, one timeline per inference and the summary as they come; accuracy against the labels', async () => {
    const expected = baseClasses();
    // Image 2's label is deliberately wrong: inferences 0..4 run images 0,1,2,0,1, so 4 of 5 are right.
    const labels = [expected[0], expected[1], (expected[2] + 1) % 4];
    const t = await connect();
    const seen: { type: string; at: number }[] = [];
    try {
      const r = await runOnDevice(t, { remoteBundle, images: encodeImages(values), count: 5, onLine: (l: RuntimeLine) => seen.push({ type: l.type, at: Date.now() }) });
      assert.equal(r.exitCode, 0);
      assert.deepEqual(r.lines.map((l) => l.type), ['start', 'inference', 'inference', 'inference', 'inference', 'inference', 'summary']);
      assert.deepEqual(seen.map((s) => s.type), r.lines.map((l) => l.type));
      assert.equal(r.manifest.model, 'tiny');
      // The loopback cloud is fast: every inference offloads and the cloud's base model gives the classes.
      for (const tl of r.timelines) assert.ok(tl.cut !== null && tl.fallback === undefined && tl.cloudMs > 0, JSON.stringify(tl.blocks));
      assert.deepEqual(r.timelines.map((tl) => tl.predictedClass), [0, 1, 2, 0, 1].map((i) => expected[i]));
      const s = summariseRun(r.timelines, labels);
      assert.equal(s.correct, 4);
      assert.equal(s.accuracy, 0.8);
      assert.equal(s.offloads, 5);
      assert.equal(s.branches.reduce((n, b) => n + b.count, 0), 5);
      const mean = r.timelines.reduce((x, tl) => x + tl.totalMs, 0) / 5;
      assert.ok(Math.abs(s.meanTotalMs - mean) < 1e-9);
      // The run folder on the device is gone.
      const left = await t.exec(`ls -A ${root}/runs | wc -l`, { timeoutMs: 10_000 });
      assert.equal(left.stdout.trim(), '0');
    } finally {
      await t.close();
    }
  });

  test('a device that drops mid-run (its network goes): the lines received so far are kept, the error names the device', async () => {
    // The SSH connection runs through a relay that drops every connection at the first timeline.
    const relay = await startThrottledRelay(server.port, Infinity);
    const port = Number(new URL(relay.url).port);
    await knownHosts.trust('127.0.0.1', port, server.hostFingerprint(), 'ssh-ed25519');
    const t = await SshTransport.connect({ host: '127.0.0.1', port, username: server.username, privateKeyPath: server.userKeyPath, knownHosts });
    let inferences = 0;
    const err = await runOnDevice(t, {
      remoteBundle, images: encodeImages(values), count: 3000, pollMs: 100, pollTimeoutMs: 5000,
      onLine: (l) => {
        if (l.type === 'inference' && ++inferences === 1) relay.kill({ refuse: true });
      },
    }).then(() => null, (e: unknown) => e);
    await t.close().catch(() => undefined);
    await relay.close();
    assert.ok(err instanceof DeviceRunDroppedError, String(err));
    assert.match(err.message, new RegExp(`^run on ${t.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the device dropped after \\d+ inference line\\(s\\)`));
    assert.equal(err.deviceId, t.id);
    const got = err.lines.filter((l) => l.type === 'inference').length;
    assert.ok(got >= 1 && got < 3000, `kept ${got}`);
    assert.equal(err.lines[0].type, 'start');
    // The host kept running on the device after the studio lost it; stop it by its pid.
    const c = await connect();
    try {
      const left = await c.exec(`cd ${err.remoteDir} && if [ -s rc ]; then r=1; else kill $(cat pid); r=0; fi; rm -rf ${err.remoteDir}; exit $r`, { timeoutMs: 30_000 });
      assert.equal(left.exitCode, 0, `the host had already finished 3000 inferences: ${left.stderr}`);
    } finally {
      await c.close();
    }
  });
});
