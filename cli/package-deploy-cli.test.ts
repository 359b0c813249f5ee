import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCliHome } from './run-cli.ts';
import { openStore } from '../profiles/open-store.ts';
import { createRun } from '../profiles/run-repository.ts';
import { openBundle } from '../bundle/open-bundle.ts';
import { splitTree, storeSearchRun } from '../bundle/testing/split-tree.ts';
import type { DeployStatus, PackageResult } from '../api/deploy-api.ts';

const cli = createCliHome();
after(() => cli.dispose());

describe('edgetree package and deploy', () => {
  let runId = '';
  let otherRun = '';
  const bundle = join(cli.home, 'alexnet-bundle');

  test('package --search RUN --out DIR: the run\'s alexnet tree as a bundle that opens and checks', async () => {
    const db = openStore(cli.home);
    const tree = await splitTree('alexnet', 'fashion-mnist');
    runId = storeSearchRun(db, 'alexnet', 'fashion-mnist', tree);
    otherRun = createRun(db, 'calibration', {}).id;
    db.close();
    const r = cli.run('package', '--search', runId, '--out', bundle, '--cloud-url', 'http://127.0.0.1:8470', '--cloud-token', 'secret', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const p = r.json<PackageResult>();
    assert.equal(p.dir, bundle);
    assert.equal(p.searchRunId, runId);
    // K = 2, N = 3: 2 + 4 + 8 nodes; type 1 cuts at once, so only the type-0 path (0, 2, 6) and the cutting nodes 1, 3, 7 run on the device.
    assert.equal(p.nodes, 14);
    assert.equal(p.deviceNodes, 6);
    assert.equal(p.branches, 8);
    assert.equal(p.weightsDtype, 'float16');
    const opened = await openBundle(bundle);
    assert.equal(opened.manifest.searchRunId, runId);
    assert.deepEqual(opened.manifest.cloud, { url: 'http://127.0.0.1:8470', token: 'secret', modelKey: 'alexnet/fashion-mnist' });
    assert.equal(opened.manifest.nodes[1].offload?.cut, 1);
    assert.equal(opened.manifest.fallback?.from, 1);
    assert.equal(opened.bytes, p.bytes);
    // The runtime's two hosts ride along (runtime/ provides them).
    assert.equal(opened.manifest.runtime.nodeEntry, 'runtime/node/runtime-node.mjs');
    assert.equal(opened.manifest.runtime.browserEntry, 'runtime/page/index.html');
    assert.ok(opened.manifest.files.some((f) => f.path.startsWith('runtime/node/') && f.path.endsWith('.wasm')));
    assert.deepEqual(p.warnings.filter((w) => w.includes('runtime')), []);
  });

  test('deploy --device local --bundle DIR: current under the home\'s device folder, checked on the device', () => {
    const r = cli.run('deploy', '--device', 'local', '--bundle', bundle, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const st = r.json<DeployStatus>();
    assert.equal(st.status, 'done');
    assert.equal(st.kind, 'deploy');
    assert.equal(st.remoteRoot, join(cli.home, 'device'));
    assert.equal(st.result?.verifiedOn, 'device');
    assert.equal(st.done, st.total);
    assert.equal(readlinkSync(join(cli.home, 'device', 'current')), `bundles/${st.result?.name}`);
    assert.ok(readFileSync(join(cli.home, 'device', 'current', 'manifest.json')).equals(readFileSync(join(bundle, 'manifest.json'))));
  });

  test('refusals: a run that is no search, a folder in use, a tampered bundle, missing options', () => {
    const notSearch = cli.run('package', '--search', otherRun, '--out', join(cli.home, 'x'), '--json');
    assert.equal(notSearch.code, 1);
    assert.equal(notSearch.json<{ error: { name: string } }>().error.name, 'PackageRequestError');
    const used = cli.run('package', '--search', runId, '--out', bundle, '--json');
    assert.equal(used.code, 1);
    assert.match(used.json<{ error: { message: string } }>().error.message, /exists and is not empty/);
    const m = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    const file = join(bundle, m.files[0].path);
    const bytes = readFileSync(file);
    bytes[100] ^= 0xff;
    writeFileSync(file, bytes);
    const tampered = cli.run('deploy', '--device', 'local', '--bundle', bundle, '--json');
    assert.equal(tampered.code, 1);
    assert.equal(tampered.json<{ error: { name: string } }>().error.name, 'BundleFileTamperedError');
    assert.equal(cli.run('deploy', '--bundle', bundle).code, 2);
    assert.equal(cli.run('package', '--search', runId, '--out', join(cli.home, 'y'), '--cloud-url', 'http://x').code, 2);
  });
});
