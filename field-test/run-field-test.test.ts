// @serial
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { buildBundle } from '../bundle/build-bundle.ts';
import { openBundle } from '../bundle/open-bundle.ts';
import { TINY_BASE_WEIGHTS, tinyBundleInput } from '../bundle/testing/tiny-tree.ts';
import { TINY_CHAIN } from '../search/testing/tiny-problem.ts';
import { buildRuntimeNode, RUNTIME_NODE_FILE } from '../runtime/hosts/node/build-runtime-node.ts';
import { encodeImages } from '../runtime/core/image-batch.ts';
import { reward } from '../search/reward.ts';
import { CGROUP_CPU_ROOT } from '../native-bridge/cpu-limit.ts';
import { estimateAt } from './field-test-report.ts';
import { runFieldTest } from './run-field-test.ts';
import { shapedLinkSkipReason } from '../test/fixtures/shaped-link-skip.ts';

const skip = shapedLinkSkipReason();
if (skip !== null) console.log(`field test skipped: ${skip}`);

let work = '';
let bundleDir = '';
const values = new Float32Array(3 * 8 * 8 * 2).map((_, i) => Math.cos(i * 0.21));

before(async () => {
  if (skip !== null) return;
  await initTfjsBackend();
  work = await mkdtemp(join(tmpdir(), 'edgetree-field-test-'));
  const host = await buildRuntimeNode(join(work, 'host'));
  bundleDir = join(work, 'bundle');
  await buildBundle(await tinyBundleInput({
    weightsDtype: 'float32',
    cloud: { url: 'http://unused', token: 'unused', modelKey: 'tiny/none' },
    runtime: { files: host.files.map((f) => ({ from: join(host.dir, f), path: `runtime/${f}` })), nodeEntry: `runtime/${RUNTIME_NODE_FILE}` },
  }), bundleDir);
});

after(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true });
});

describe('field test over a tc-shaped veth link (root)', { skip: skip ?? false, timeout: 120_000 }, () => {
  test('two configurations, 5 inferences each over a 2-step trace: per-inference measured vs estimated, accuracy, reward, limits; link and cgroup removed after', async () => {
    const labels = [0, 1, 2];
    const done: string[] = [];
    const r = await runFieldTest({
      // The same tiny bundle twice: what is checked is that each configuration meets the trace from its first step.
      configurations: [{ method: 'tree', bundleDir, description: 'the tiny tree' }, { method: 'branch', bundleDir, description: 'the tiny tree again' }],
      images: encodeImages(values), labels, inferences: 5, traceMbps: [2, 0.05], stepMs: 400,
      cloudModel: { spec: TINY_CHAIN, weights: TINY_BASE_WEIGHTS },
      onMethod: (m) => done.push(m.method),
    });
    assert.deepEqual(r.methods.map((m) => m.method), ['tree', 'branch']);
    assert.deepEqual(done, ['tree', 'branch']);
    assert.equal(r.methods[1].description, 'the tiny tree again');
    const tree = r.methods[0];
    assert.equal(tree.inferences.length, 5);
    assert.equal(r.methods[1].inferences.length, 5);
    assert.equal(r.rates[0].mbps, 2);
    for (const m of r.methods) for (const x of m.inferences) assert.ok(x.linkMbps === 2 || x.linkMbps === 0.05);
    const { manifest } = await openBundle(bundleDir);
    for (const x of tree.inferences) {
      assert.ok(x.linkMbps === 2 || x.linkMbps === 0.05);
      const b = manifest.branches.find((br) => x.branch.split('-').every((id, i) => br.nodeIds[i] === Number(id)));
      assert.ok(b, `branch ${x.branch} is in the manifest`);
      // Eq. 6 rescaled by hand: edge + transfer * (searched rate / link rate) + cloud.
      const est = b.edgeMs + (b.transferMs === 0 ? 0 : b.transferMs * b.bandwidthMbps / x.linkMbps) + b.cloudMs;
      assert.ok(Math.abs((x.estimatedMs ?? NaN) - est) < 1e-9);
      assert.equal(estimateAt(b, x.linkMbps), x.estimatedMs);
      assert.ok(Math.abs((x.ratio ?? NaN) - x.measuredMs / est) < 1e-9);
      assert.equal(x.label, labels[x.index % 3]);
      assert.equal(x.correct, x.predictedClass === x.label);
      // The stacked parts of the timeline add up to no more than the whole.
      assert.ok(x.edgeMs + x.transferMs + x.cloudMs <= x.measuredMs + 1e-6);
    }
    assert.equal(tree.accuracy, tree.inferences.filter((x) => x.predictedClass === labels[x.index % 3]).length / 5);
    const mean = tree.inferences.reduce((s, x) => s + x.measuredMs, 0) / 5;
    assert.ok(Math.abs(tree.meanMeasuredMs - mean) < 1e-9);
    assert.equal(tree.reward, reward(tree.accuracy, mean));
    assert.equal(tree.drift, Math.abs((tree.ratio ?? 1) - 1) > 0.1);
    assert.match(r.limits.join('\n'), /1 thread/);
    assert.match(r.limits.join('\n'), /tbf/);
    if (existsSync(`${CGROUP_CPU_ROOT}/cpu.cfs_quota_us`)) assert.match(r.limits.join('\n'), /cfs_quota_us 5000 per cpu.cfs_period_us 10000/);
    assert.deepEqual(r.notes, ['not run: surgery']);
    // Cleaned up: no namespace, no cgroup left.
    assert.ok(!execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).includes(r.namespace));
    if (existsSync(CGROUP_CPU_ROOT)) assert.deepEqual(readdirSync(CGROUP_CPU_ROOT).filter((d) => d.startsWith(`edgetree-field-${process.pid}-`)), []);
  });
});
