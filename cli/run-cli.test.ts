// @serial
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createCliHome } from './run-cli.ts';
import { openStore } from '../profiles/open-store.ts';
import { splitTree, storeSearchRun } from '../bundle/testing/split-tree.ts';
import { startCloudServer } from '../cloud/cloud-server.ts';
import type { CloudServer } from '../cloud/cloud-server.ts';
import { loadBaseWeights } from '../cloud/base-weights.ts';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import type { RuntimeLine } from '../runtime/core/runtime-line.ts';
import type { InferenceTimeline } from '../runtime/core/inference-timeline.ts';
import type { RunSummary } from '../device-run/run-summary.ts';
import { runProcess } from '../test/fixtures/run-process.ts';
import type { ProcessOutput } from '../test/fixtures/run-process.ts';

const BIN = new URL('../bin/edgetree.mjs', import.meta.url).pathname;
const TOKEN = 'run-cli-token';
const cli = createCliHome();
let cloud: CloudServer;

/** The bin in a child process without blocking this one: the cloud server here must keep answering. */
function runBin(...args: string[]): Promise<ProcessOutput> {
  return runProcess(process.execPath, [BIN, ...args], { env: { ...process.env, EDGETREE_HOME: cli.home } });
}

before(async () => {
  await initTfjsBackend();
  cloud = await startCloudServer({ models: new Map([['alexnet/fashion-mnist', loadBaseWeights('alexnet', 'fashion-mnist')]]), token: TOKEN });
  const db = openStore(cli.home);
  const runId = storeSearchRun(db, 'alexnet', 'fashion-mnist', await splitTree('alexnet', 'fashion-mnist'));
  db.close();
  const bundle = join(cli.home, 'alexnet-bundle');
  const p = await runBin('package', '--search', runId, '--out', bundle, '--cloud-url', cloud.url, '--cloud-token', TOKEN, '--json');
  assert.equal(p.code, 0, p.stdout + p.stderr);
  const d = await runBin('deploy', '--device', 'local', '--bundle', bundle, '--json');
  assert.equal(d.code, 0, d.stdout + d.stderr);
});

after(async () => {
  await cloud?.close();
  cli.dispose();
});

describe('edgetree run (deployed alexnet/fashion-mnist tree on the local device, cloud on loopback)', { timeout: 120_000 }, () => {
  test('--json: start, a timeline per test image, summary; mean latency, branch counts and accuracy against the labels', async () => {
    const r = await runBin('run', '--device', 'local', '--images', '6', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as { model: string; dataset: string; remoteBundle: string; labels: number[]; lines: RuntimeLine[]; summary: RunSummary };
    assert.equal(out.model, 'alexnet');
    assert.equal(out.remoteBundle, join(cli.home, 'device', 'current'));
    assert.deepEqual(out.lines.map((l) => l.type), ['start', ...Array<string>(6).fill('inference'), 'summary']);
    const labels = Array.from((await loadDataset('fashion-mnist', 'test', { limit: 6 })).labels);
    assert.deepEqual(out.labels, labels);
    const ts = out.lines.filter((l): l is InferenceTimeline => l.type === 'inference');
    // Loopback under load may read below the 4.47 Mbit/s threshold (the device branch) or above it (cut at once): either way the cloud answers when asked.
    for (const t of ts) assert.ok(t.fallback === undefined && (t.cut === null) === (t.cloudMs === 0), JSON.stringify(t.blocks));
    assert.equal(out.summary.offloads, ts.filter((t) => t.cut !== null).length);
    const correct = ts.filter((t) => t.predictedClass === labels[t.index]).length;
    assert.equal(out.summary.correct, correct);
    assert.equal(out.summary.accuracy, correct / 6);
    // Device and cloud run the shipped trained alexnet (92% on the test set): most of 6 images are right.
    assert.ok(correct >= 4, `${correct} of 6 right`);
    assert.ok(Math.abs(out.summary.meanTotalMs - ts.reduce((s, t) => s + t.totalMs, 0) / 6) < 1e-9);
    const byBranch = new Map<string, number>();
    for (const t of ts) byBranch.set(t.branch.join('-'), (byBranch.get(t.branch.join('-')) ?? 0) + 1);
    assert.deepEqual(new Map(out.summary.branches.map((b) => [b.branch, b.count])), byBranch);
  });

  test('as a table: one row per inference as it comes, then the summary; a bundle path with nothing there is refused by name', async () => {
    const r = await runBin('run', '--device', 'local', '--images', '3');
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\s+\d/.test(l));
    assert.equal(rows.length, 3);
    assert.match(r.stdout, /3 inferences: mean \d+\.\d ms/);
    assert.match(r.stdout, /accuracy: \d\/3 = /);
    const none = await runBin('run', '--device', 'local', '--bundle-remote', join(cli.home, 'nowhere'), '--json');
    assert.equal(none.code, 1);
    const e = JSON.parse(none.stdout) as { error: { name: string; message: string } };
    assert.equal(e.error.name, 'DeviceBundleError');
    assert.match(e.error.message, /^run on local: bundle .*nowhere: no readable manifest\.json/);
    assert.equal((await runBin('run', '--images', '3')).code, 2);
    assert.equal((await runBin('run', '--device', 'local', '--cloud', 'http://x')).code, 2);
  });
});
