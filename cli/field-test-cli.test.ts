// @serial
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCliHome } from './run-cli.ts';
import { openStore } from '../profiles/open-store.ts';
import { everyKernel, splitTree, storeSearchRun } from '../bundle/testing/split-tree.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import { reward } from '../search/reward.ts';
import type { FieldTestStatus } from '../api/field-test-api.ts';
import { createProfilesService } from '../services/profiles-service.ts';
import { serializeDeviceProfile } from '../latency/profile-json.ts';
import { PHONE, SERVER } from '../search/testing/tiny-problem.ts';
import { getRun } from '../profiles/run-repository.ts';
import type { Database } from 'better-sqlite3';
import { shapedLinkSkipReason } from '../test/fixtures/shaped-link-skip.ts';

function runKind(db: Database, id: string): string {
  return getRun(db, id).kind;
}

const skip = shapedLinkSkipReason();
if (skip !== null) console.log(`edgetree field-test skipped: ${skip}`);

const cli = createCliHome();
const bundle = join(cli.home, 'alexnet-bundle');
let traceId = '';

before(async () => {
  if (skip !== null) return;
  const db = openStore(cli.home);
  // The search's profiles in the store: the branch and surgery configurations are estimated with them.
  const profiles = createProfilesService(db);
  const phone = profiles.importProfile({ fileName: 'phone.json', content: serializeDeviceProfile(everyKernel(PHONE)) });
  const server = profiles.importProfile({ fileName: 'server.json', content: serializeDeviceProfile(everyKernel(SERVER)) });
  const runId = storeSearchRun(db, 'alexnet', 'fashion-mnist', await splitTree('alexnet', 'fashion-mnist'), { profileIds: { device: phone.id, cloud: server.id } });
  db.close();
  const p = cli.run('package', '--search', runId, '--out', bundle, '--cloud-url', 'http://127.0.0.1:1', '--cloud-token', 'unused', '--json');
  assert.equal(p.code, 0, p.stdout + p.stderr);
  // Two steps: a good link, then a poor one (Mbit/s per second).
  writeFileSync(join(cli.home, 'two-step.txt'), '0 20\n1 0.5\n');
  const t = cli.run('traces', 'import', join(cli.home, 'two-step.txt'), '--format', 'time-mbps', '--json');
  assert.equal(t.code, 0, t.stdout + t.stderr);
  traceId = t.json<{ id: string }>().id;
});

after(() => cli.dispose());

describe('edgetree field-test (root)', { skip: skip ?? false, timeout: 180_000 }, () => {
  test('--device local --bundle DIR --trace ID --inferences 5: tree, branch and surgery per inference, measured vs estimated, accuracy, reward, limits said; stored as a run', async () => {
    const r = cli.run('field-test', '--device', 'local', '--bundle', bundle, '--trace', traceId, '--inferences', '5', '--step-ms', '500', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = r.json<FieldTestStatus>();
    assert.equal(out.status, 'done');
    assert.equal(out.params.stepMs, 500);
    assert.deepEqual(out.methods.map((m) => m.method), ['tree', 'branch', 'surgery']);
    assert.deepEqual(out.notes, []);
    const [tree, branch, surgery] = out.methods;
    for (const m of out.methods) assert.equal(m.inferences.length, 5);
    // The branch for the 20 Mbit/s type (nearest the median 5) cuts after layer 1 whatever the rate; surgery on the tiny phone sends the input.
    assert.match(branch.description, /optimal branch for the 20\.00 Mbit\/s type/);
    assert.deepEqual(branch.inferences.map((x) => x.cut), [1, 1, 1, 1, 1]);
    assert.deepEqual(surgery.inferences.map((x) => x.cut), [0, 0, 0, 0, 0]);
    const labels = Array.from((await loadDataset('fashion-mnist', 'test', { limit: 5 })).labels);
    // Inference 0 warmed the backend up and is not reported: inferences 1..5 ran images 1..4 and 0.
    assert.deepEqual(tree.inferences.map((x) => x.index), [1, 2, 3, 4, 5]);
    assert.deepEqual(tree.inferences.map((x) => x.label), [...labels.slice(1), labels[0]]);
    for (const x of tree.inferences) {
      assert.ok(x.linkMbps === 20 || x.linkMbps === 0.5, String(x.linkMbps));
      assert.ok(x.estimatedMs !== null && x.ratio !== null && Math.abs(x.ratio - x.measuredMs / x.estimatedMs) < 1e-9);
    }
    const acc = tree.inferences.filter((x) => x.predictedClass === x.label).length / 5;
    assert.equal(tree.accuracy, acc);
    assert.equal(tree.reward, reward(acc, tree.meanMeasuredMs));
    assert.match(out.limits.join('\n'), /1 thread/);
    const stored = openStore(cli.home);
    try {
      assert.equal(runKind(stored, out.runId), 'field-test');
    } finally {
      stored.close();
    }
    console.log(`field test alexnet: ${tree.inferences.map((x) => `${x.branch}@${x.linkMbps}: ${x.measuredMs.toFixed(1)}/${(x.estimatedMs ?? 0).toFixed(1)} ms`).join('; ')}; mean ${tree.meanMeasuredMs.toFixed(1)} vs ${tree.meanEstimatedMs?.toFixed(1)} (x${tree.ratio?.toFixed(2)}, drift ${tree.drift}), accuracy ${acc}, reward ${tree.reward.toFixed(2)}; ${out.limits[1]}`);
  });

  test('refusals: a device other than local, a missing trace', () => {
    assert.equal(cli.run('field-test', '--device', 'ssh:x@y:22', '--bundle', bundle, '--trace', traceId).code, 2);
    const none = cli.run('field-test', '--device', 'local', '--bundle', bundle, '--trace', '99999', '--json');
    assert.equal(none.code, 1);
  });
});
