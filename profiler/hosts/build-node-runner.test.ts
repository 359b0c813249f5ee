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
});
