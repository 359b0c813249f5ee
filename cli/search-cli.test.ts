import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCliHome } from './run-cli.ts';
import type { CliRun } from './run-cli.ts';
import type { ProfileSummary, TraceSummary } from '../api/studio-api.ts';
import type { EmulationTable, SearchStatus, SearchTraceResult } from '../api/search-api.ts';
import { serializeDeviceProfile } from '../latency/profile-json.ts';
import { REFERENCE_PHONE, REFERENCE_SERVER } from '../search/testing/reference-profiles.ts';
import { reward } from '../search/reward.ts';
import { TRACES_DIR } from '../test/shared-data.ts';

// The shipped alexnet/fashion-mnist with its one F3 variant (distilled on first use, a few seconds), 200 validation images.
const cli = createCliHome();
const RECIPE = new URL('../recipes/pytorch/distill_variants.py', import.meta.url).pathname;
after(() => cli.dispose());
let phone: ProfileSummary;
let server: ProfileSummary;
let trace: TraceSummary;
const runs: Record<string, SearchStatus> = {};

const ok = (r: CliRun): CliRun => {
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return r;
};
const search = (method: string, ...extra: string[]): CliRun => cli.run('search', '--model', 'alexnet', '--dataset', 'fashion-mnist', '--profile', phone.id, '--cloud-profile', server.id,
  '--trace', trace.id, '--method', method, '--blocks', '2', '--episodes', '3', '--val-images', '200', '--technique', 'F3', ...extra, '--json');
const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

before(() => {
  writeFileSync(join(cli.home, 'phone.json'), serializeDeviceProfile(REFERENCE_PHONE));
  writeFileSync(join(cli.home, 'server.json'), serializeDeviceProfile(REFERENCE_SERVER));
  phone = ok(cli.run('profiles', 'import', join(cli.home, 'phone.json'), '--json')).json<ProfileSummary>();
  server = ok(cli.run('profiles', 'import', join(cli.home, 'server.json'), '--json')).json<ProfileSummary>();
  trace = ok(cli.run('traces', 'import', join(TRACES_DIR, 'norway-hsdpa-3g', 'norway_bus_1'), '--json')).json<TraceSummary>();
});

function checkRows(t: SearchTraceResult): void {
  for (const b of t.branches) {
    close(b.latencyMs, b.edgeMs + b.transferMs + b.cloudMs, 'latency = edge + transfer + cloud');
    close(b.reward, reward(b.accuracy, b.latencyMs), 'Eq. 7');
    assert.ok(b.cut >= 0 && b.cut <= b.layerCount);
  }
}

describe('edgetree search and emulate on the shipped alexnet', () => {
  test('tree: per trace its quartiles as bandwidth types, a 2-block 2-type tree, its branches and curve', () => {
    const r = ok(search('tree'));
    assert.match(r.stderr, /search run \d+: tree on alexnet\/fashion-mnist, 1 trace\(s\), 9 episodes/);
    const st = r.json<SearchStatus & { runId: string }>();
    runs.tree = st;
    const t = st.traces[0];
    // K = 2: the trace's lower and upper quartiles (as traces import reported them); the median for fixed models.
    assert.deepEqual(t.levelsMbps, [trace.p25Mbps, trace.p75Mbps]);
    assert.equal(t.medianMbps, trace.p50Mbps);
    assert.ok(t.tree !== null);
    assert.equal(t.tree.nodes.length, 2 + 4);
    assert.equal(t.branches.length, 4);
    close(t.reward, t.tree.roots.reduce((s, id) => s + (t.tree?.nodes[id].reward as number), 0) / 2, 'tree reward = mean of the roots');
    // Two boosting branch searches then the tree stage, 3 episodes each.
    assert.deepEqual(t.branchCurves.map((c) => c.length), [3, 3]);
    assert.equal(t.curve.length, 3);
    assert.ok(st.evaluations >= 1 && st.baseAccuracy !== null && st.baseAccuracy > 0.5);
    checkRows(t);
  });

  test('branch and surgery: a fixed model at the median rate; the base model partitioned at each rate', () => {
    const b = ok(search('branch')).json<SearchStatus>();
    runs.branch = b;
    const bt = b.traces[0];
    assert.equal(bt.branches.length, 1);
    assert.deepEqual(bt.branches[0].levels, []);
    assert.equal(bt.branches[0].bandwidthMbps, trace.p50Mbps);
    assert.deepEqual({ cut: bt.branches[0].cut, variantIds: bt.branches[0].variants.map((v) => v.id) }, bt.fixed);
    checkRows(bt);
    const s = ok(search('surgery')).json<SearchStatus>();
    runs.surgery = s;
    const d = s.traces[0].surgery;
    assert.deepEqual(d.map((x) => x.bandwidthMbps), [trace.p25Mbps, trace.p75Mbps, trace.p50Mbps]);
    for (const x of d) close(x.totalMs, x.edgeMs + x.transferMs + x.cloudMs, 'surgery latency');
    // A better link never makes surgery's best partition slower.
    assert.ok(d[1].totalMs <= d[0].totalMs);
    // The accuracy pool: the second and third runs found the base model's accuracy stored.
    assert.equal(s.baseAccuracy, runs.tree.baseAccuracy);
  });

  test('emulate: Table IV over the trace; surgery at the base accuracy; mean rewards follow Eq. 7', () => {
    const r = ok(cli.run('emulate', '--search', runs.tree.runId, '--search', runs.branch.runId, '--search', runs.surgery.runId, '--trace', trace.id, '--offsets', '6', '--json'));
    const { table } = r.json<{ table: EmulationTable }>();
    assert.deepEqual(table.traces.map((t) => t.trace), ['norway_bus_1']);
    assert.deepEqual(table.traces[0].methods.map((m) => m.method), ['tree', 'branch', 'surgery']);
    for (const m of [...table.traces[0].methods, ...table.overall]) {
      assert.equal(m.inferences, 6);
      // Eq. 7 is linear in accuracy and latency: the mean reward is the reward of the means.
      close(m.reward, reward(m.accuracy, m.latencyMs), `${m.method} reward`);
    }
    close(table.overall.find((m) => m.method === 'surgery')?.accuracy as number, runs.surgery.baseAccuracy as number, 'surgery runs the base model');
    const text = ok(cli.run('emulate', '--search', runs.tree.runId, '--search', runs.surgery.runId, '--trace', trace.id, '--offsets', '2'));
    assert.match(text.stdout, /trace norway_bus_1\nmethod +inferences +reward +latency ms +accuracy % +latency vs surgery/);
  });

  test('a larger distillation budget is kept with the run; an emulation refuses to mix it with the default one', () => {
    const s = ok(search('surgery', '--distill-images', '256', '--distill-epochs', '1')).json<SearchStatus>();
    assert.deepEqual([s.params.distillImages, s.params.distillEpochs], [256, 1]);
    assert.deepEqual([runs.tree.params.distillImages, runs.tree.params.distillEpochs], [2048, 4]);
    const e = cli.run('emulate', '--search', runs.tree.runId, '--search', s.runId, '--trace', trace.id, '--offsets', '2');
    assert.notEqual(e.code, 0);
    assert.match(e.stderr, new RegExp(`search run ${s.runId} has distillImages 256`));
  });

  test('--variants recipe: refused until the blocks the recipe trained are imported, then searched from them; an emulation does not mix them with the studio ones', () => {
    const missing = search('surgery', '--variants', 'recipe');
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /no variant trained by the recipe for F3@/);
    const job = join(cli.home, 'job');
    const exported = ok(cli.run('variants', 'export', '--model', 'alexnet', '--dataset', 'fashion-mnist', '--technique', 'F3', '--out', job, '--json')).json<{ variants: string[]; trainImages: number }>();
    assert.equal(exported.variants.length, 1);
    // The real recipe (Debian's python3-torch), briefly: 0.02 of an epoch of the train split.
    execFileSync('/usr/bin/python3', [RECIPE, job, '--epochs', '0.02', '--threads', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const imported = ok(cli.run('variants', 'import', job, '--model', 'alexnet', '--dataset', 'fashion-mnist', '--val-images', '200', '--json')).json<{ variants: { id: string; images: number }[] }>();
    assert.deepEqual(imported.variants.map((v) => [v.id, v.images]), [[exported.variants[0], 200]]);
    const s = ok(search('branch', '--variants', 'recipe')).json<SearchStatus>();
    assert.equal(s.params.variants, 'recipe');
    assert.equal(runs.tree.params.variants, 'studio');
    const e = cli.run('emulate', '--search', runs.tree.runId, '--search', s.runId, '--trace', trace.id, '--offsets', '2');
    assert.notEqual(e.code, 0);
    assert.match(e.stderr, new RegExp(`search run ${s.runId} has variants recipe`));
    const bad = cli.run('search', '--model', 'alexnet', '--dataset', 'fashion-mnist', '--profile', phone.id, '--cloud-profile', server.id, '--trace', trace.id, '--method', 'tree', '--variants', 'pytorch');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /field "variants" must be one of studio, recipe/);
  });

  test('usage errors exit 2 and name the option', () => {
    const r = cli.run('search', '--model', 'alexnet', '--dataset', 'fashion-mnist', '--profile', phone.id, '--trace', trace.id, '--method', 'tree');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--cloud-profile is required/);
    const e = cli.run('emulate', '--search', runs.tree.runId, '--trace', trace.id, '--offsets', '0');
    assert.equal(e.code, 2);
    assert.match(e.stderr, /field "offsets" must be a whole number from 1/);
  });
});
