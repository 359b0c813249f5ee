import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openStore } from '../profiles/open-store.ts';
import { getRun } from '../profiles/run-repository.ts';
import { listMeasurements } from '../profiles/measurement-repository.ts';
import { LocalTransport } from '../native-bridge/local-transport.ts';
import { SshTransport } from '../native-bridge/ssh-transport.ts';
import { KnownHosts } from '../native-bridge/known-hosts.ts';
import { startSshServer } from '../test/fixtures/ssh-server.ts';
import { buildNodeRunner } from './hosts/build-node-runner.ts';
import { CRASH_AFTER_ENV } from './hosts/node-runner.ts';
import { ownTiming } from './hosts/own-cpu-quota.ts';
import { makeBenchPlan } from './plan/make-bench-plan.ts';
import { calibrateDevice } from './calibrate.ts';
import type { CalibrationProgress } from './calibrate.ts';
import { CalibrationError } from './calibration-error.ts';
import type { BenchPlan } from './bench-plan.ts';

/** A tiny plan: the smallest cases, few repeats, so each test takes seconds. */
function tinyPlan(n: number): BenchPlan {
  const full = makeBenchPlan({ suite: 'quick' });
  const ids = ['conv-k3-i32x32x9-o9-s1', 'conv-k5-i32x32x5-o5-s1', 'depthwise-k3-i8x8x32-s1', 'fc-i31-o30', 'maxpool-k2-i16x16x128-s2', 'activation-i8x8x256'];
  return { ...full, warmup: 1, repeats: 3, cases: ids.slice(0, n).map((id) => full.cases.find((c) => c.id === id) ?? assert.fail(id)) };
}

describe('calibrateDevice', () => {
  let dir = '';
  let bundleDir = '';
  let db: Database;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgetree-calibrate-'));
    bundleDir = (await buildNodeRunner(join(dir, 'bundle'))).dir;
    db = openStore(join(dir, 'home'));
  });
  after(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('over the local transport: every case stored, run done, progress per case, work dir removed', async () => {
    const plan = tinyPlan(5);
    const events: CalibrationProgress[] = [];
    const transport = new LocalTransport();
    const r = await calibrateDevice({
      transport, deviceId: 'local', plan, store: db, bundleDir, nodeCommand: process.execPath, casesPerExec: 2, onProgress: (e) => events.push(e),
    });
    assert.equal(r.status, 'done');
    assert.equal(r.measured, 5);
    assert.match(r.backend, /^wasm \(SIMD/);
    const stored = listMeasurements(db, r.runId);
    assert.deepEqual(stored.map((m) => m.caseId), plan.cases.map((c) => c.id));
    for (const m of stored) assert.ok(m.medianMs > 0 && m.repeats === 3 && m.backend === r.backend);
    const run = getRun(db, r.runId);
    assert.equal(run.kind, 'calibration');
    assert.equal(run.status, 'done');
    assert.deepEqual((run.params as { plan: BenchPlan }).plan, plan);
    assert.equal(events[0].phase, 'push');
    assert.deepEqual(events.filter((e) => e.phase === 'run' && e.message.includes(' ms')).map((e) => [e.caseId, e.done]), plan.cases.map((c, i) => [c.id, i + 1]));
    assert.deepEqual(events.at(-1), { runId: r.runId, phase: 'done', done: 5, total: 5, message: `measured 5 cases on ${r.backend}, each summarised by ${ownTiming().describe}` });
    // The runner reads the quota this process runs under, if any (it runs in the same group).
    assert.equal(r.timing, ownTiming().describe);
    const workDir = /to local:(\S+)$/.exec(events[0].message)?.[1] ?? '';
    assert.match(workDir, new RegExp(`^/tmp/edgetree-${r.runId}-[0-9a-f]+$`));
    assert.ok(!existsSync(workDir), 'work dir cleaned up');
  });

  test('two passes: each case timed twice, in other processes and the reverse order, under its pass key; a drop in pass 2 resumes there', async () => {
    const plan = { ...tinyPlan(3), passes: 2 };
    const transport = new LocalTransport();
    let runId = '';
    // The runner dies after 2 measurements of each exec: pass 1 (3 cases, 2 per exec) finishes, pass 2 fails in its second exec.
    await assert.rejects(
      calibrateDevice({
        transport, deviceId: 'local', plan, store: db, bundleDir, nodeCommand: process.execPath, casesPerExec: 3,
        runnerEnv: { [CRASH_AFTER_ENV]: '2' }, onProgress: (e) => { runId = e.runId; },
      }),
      (e: unknown) => e instanceof CalibrationError && /after 2 of 3 cases \(conv-k3-i32x32x9-o9-s1, conv-k5-i32x32x5-o5-s1, depthwise-k3-i8x8x32-s1\)/.test(e.message),
    );
    assert.deepEqual(listMeasurements(db, runId).map((m) => m.caseId), ['conv-k3-i32x32x9-o9-s1', 'conv-k5-i32x32x5-o5-s1']);
    const r = await calibrateDevice({ transport, deviceId: 'local', store: db, bundleDir, nodeCommand: process.execPath, runId, casesPerExec: 3 });
    assert.equal(r.measured, 6);
    assert.equal(r.total, 6);
    // Pass 2 runs the cases from the last to the first.
    assert.deepEqual(listMeasurements(db, runId).map((m) => m.caseId), [
      'conv-k3-i32x32x9-o9-s1', 'conv-k5-i32x32x5-o5-s1', 'depthwise-k3-i8x8x32-s1',
      'depthwise-k3-i8x8x32-s1#2', 'conv-k5-i32x32x5-o5-s1#2', 'conv-k3-i32x32x9-o9-s1#2',
    ]);
    await transport.close();
  });

  test('a runner that crashes after 2 cases: the 2 stay stored, the run fails; a resume measures only the rest', async () => {
    const plan = tinyPlan(5);
    const transport = new LocalTransport();
    let runId = '';
    await assert.rejects(
      calibrateDevice({
        transport, deviceId: 'local', plan, store: db, bundleDir, nodeCommand: process.execPath, casesPerExec: 5,
        runnerEnv: { [CRASH_AFTER_ENV]: '2' }, onProgress: (e) => { runId = e.runId; },
      }),
      (e: unknown) => e instanceof CalibrationError && !e.cancelled && /the runner exited with code 137 after 2 of 5 cases/.test(e.message),
    );
    const run = getRun(db, runId);
    assert.equal(run.status, 'failed');
    assert.match(String((run.result as { error: string }).error), /exited with code 137/);
    const before = listMeasurements(db, runId);
    assert.deepEqual(before.map((m) => m.caseId), plan.cases.slice(0, 2).map((c) => c.id));

    const ran: string[] = [];
    const r = await calibrateDevice({
      transport, deviceId: 'local', runId, store: db, bundleDir, nodeCommand: process.execPath,
      onProgress: (e) => { if (e.phase === 'run' && e.message.includes(' ms') && e.caseId) ran.push(e.caseId); },
    });
    assert.equal(r.runId, runId);
    assert.equal(r.measured, 5);
    assert.deepEqual(ran, plan.cases.slice(2).map((c) => c.id));
    const after = listMeasurements(db, runId);
    assert.deepEqual(after.map((m) => m.caseId), plan.cases.map((c) => c.id));
    assert.deepEqual(after.slice(0, 2), before, 'the first two are the crashed run\'s, untouched');
    assert.equal(getRun(db, runId).status, 'done');
    await assert.rejects(calibrateDevice({ transport, deviceId: 'local', runId, store: db, bundleDir }), /already done; nothing to resume/);
    await assert.rejects(calibrateDevice({ transport, deviceId: 'ssh:x@y:22', runId, store: db, bundleDir }), /calibrated device local, not ssh:x@y:22/);
  });

  test('cancelling marks the run cancelled and keeps what was measured', async () => {
    const plan = tinyPlan(6);
    const ac = new AbortController();
    let runId = '';
    await assert.rejects(
      calibrateDevice({
        transport: new LocalTransport(), deviceId: 'local', plan, store: db, bundleDir, nodeCommand: process.execPath, casesPerExec: 2, signal: ac.signal,
        onProgress: (e) => {
          runId = e.runId;
          if (e.phase === 'run' && e.done === 2) ac.abort();
        },
      }),
      (e: unknown) => e instanceof CalibrationError && e.cancelled && /was cancelled after 2 of 6 cases/.test(e.message),
    );
    assert.equal(getRun(db, runId).status, 'cancelled');
    assert.equal(listMeasurements(db, runId).length, 2);
  });

  test('over SSH to a real OpenSSH server on loopback', async () => {
    const server = await startSshServer();
    const knownHosts = new KnownHosts(join(dir, 'ssh-home'));
    try {
      await knownHosts.trust('127.0.0.1', server.port, server.hostFingerprint(), 'ssh-ed25519');
      const transport = await SshTransport.connect({ host: '127.0.0.1', port: server.port, username: server.username, privateKeyPath: server.userKeyPath, knownHosts });
      try {
        const plan = tinyPlan(3);
        const r = await calibrateDevice({ transport, deviceId: transport.id, plan, store: db, bundleDir, nodeCommand: process.execPath, casesPerExec: 2 });
        assert.equal(r.measured, 3);
        assert.deepEqual(listMeasurements(db, r.runId).map((m) => m.caseId), plan.cases.map((c) => c.id));
        assert.match(r.backend, /^wasm/);
      } finally {
        await transport.close();
      }
    } finally {
      await server.stop();
    }
  });
});
