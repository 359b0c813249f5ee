import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudioServices } from './studio-services.ts';
import { listMeasurements } from '../profiles/measurement-repository.ts';
import { getRun, updateRun } from '../profiles/run-repository.ts';
import { dispatchStudioCall } from '../api/dispatch.ts';
import { LocalTransport } from '../native-bridge/local-transport.ts';
import { readLastLevelCache } from '../profiler/last-level-cache.ts';
import { anchorModels } from '../profiler/validation/anchor-set.ts';

describe('calibration services on this computer', () => {
  const home = mkdtempSync(join(tmpdir(), 'edgetree-cal-'));
  const s = createStudioServices({ home, mode: 'cli', adbPort: false });
  after(() => {
    s.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('local is listed, online, with this machine\'s core count', async () => {
    const devices = await s.listDevices({});
    const local = devices.find((d) => d.id === 'local');
    assert.ok(local);
    assert.equal(local.state, 'online');
    const { availableParallelism } = await import('node:os');
    assert.equal(local.identity?.cores, availableParallelism());
  });

  let profileId = '';
  test('a tiny plan is measured, fitted, corrected by the anchor models and stored as a profile whose lines have points', async () => {
    const started = await s.startCalibration({ deviceId: 'local', suite: 'quick', casesPerGroup: 2, transfer: false });
    assert.ok(started.status === 'queued' || started.status === 'running', 'the call answers before the run ends');
    await s.idle();
    const st = await s.calibrationStatus({ runId: started.runId });
    assert.equal(st.status, 'done', st.message);
    assert.equal(st.done, st.total);
    const anchors = anchorModels().map((m) => m.name);
    // Every case in two passes, then every anchor model in two passes.
    assert.equal(listMeasurements(s.db, st.runId).length, st.total - 2 * anchors.length);
    assert.ok(st.profileId);
    profileId = st.profileId;
    const p = await s.showProfile({ id: profileId });
    assert.equal(p.calibrationRunId, st.runId);
    assert.deepEqual(p.profile.compute.map((l) => `${l.layerType}/${l.kernel}`).sort(), ['conv/1', 'conv/3', 'conv/5', 'conv/7', 'depthwise/3', 'depthwise/5', 'depthwise/7', 'fc/null']);
    // Each line has its 2 bench points, or, refitted on the anchors' layers, as many as those.
    const refitted = (type: string, kernel: number | null): boolean => p.inModel?.factors.find((f) => f.layerType === type && f.kernel === kernel)?.from === 'refit';
    for (const l of p.profile.compute) assert.ok(refitted(l.layerType, l.kernel) ? (l.points ?? 0) >= 6 : l.points === 2, `${l.layerType}/${l.kernel}: ${l.points} points`);
    assert.ok(p.fit && p.fit.every((g) => g.residuals.length === 2));
    assert.match(p.profile.backend ?? '', /wasm/);
    assert.deepEqual(p.profile.transfer, []);
    // Zero-MACC layers measured at 2 sizes each give element lines, shown with their fit (x = elements touched).
    assert.deepEqual(p.profile.elementLines?.map((l) => l.layerType), ['bn', 'activation', 'add', 'maxpool', 'gap', 'flatten']);
    assert.deepEqual(p.elementFit?.map((g) => g.layerType), ['bn', 'activation', 'add', 'maxpool', 'gap', 'flatten']);
    const bn = p.elementFit?.[0];
    // The two smallest BN cases of the plan: 2x2x128 = 512 and 4x4x64 = 1,024 elements.
    assert.deepEqual(bn?.residuals.map((r) => r.elements).sort((a, b) => a - b), [512, 1024]);
    // The fit shows the micro-benchmark line; the profile stores it times the in-model factor of its group.
    assert.ok(p.inModel);
    assert.deepEqual(p.inModel.anchors.sort(), [...anchors].sort());
    const factor = (type: string, kernel: number | null): number => p.inModel!.factors.find((f) => f.layerType === type && f.kernel === kernel)!.factor;
    // A tiny plan's lines are fitted on its 2 smallest cases each, so anchors' larger layers can sit far off them: factors are only sane, not near 1.
    for (const f of p.inModel.factors) assert.ok(f.factor > 0 && f.factor < 100, `${f.layerType}/${f.kernel}: in-model factor ${f.factor}`);
    // Lines the anchors hold at many sizes are refitted on their in-model times; the others are the bench lines times the factor.
    assert.equal(p.inModel.factors.find((f) => f.layerType === 'conv' && f.kernel === 3)?.from, 'refit');
    const scaled = p.inModel.factors.filter((f) => f.from !== 'refit' && f.layerType !== 'other');
    assert.ok(scaled.length > 0);
    for (const f of scaled) {
      const g = p.fit!.find((x) => x.layerType === f.layerType && x.kernel === f.kernel);
      const e = p.elementFit!.find((x) => x.layerType === f.layerType);
      const storedSlope = g ? p.profile.compute.find((l) => l.layerType === f.layerType && l.kernel === f.kernel)!.slopeMsPerMacc : p.profile.elementLines!.find((l) => l.layerType === f.layerType)!.slopeMsPerElement;
      const benchSlope = g ? g.slopeMsPerMacc : e!.slopeMsPerElement;
      assert.ok(Math.abs(storedSlope - benchSlope * factor(f.layerType, f.kernel)) <= 1e-9 * Math.max(storedSlope, 1e-12), `${f.layerType}/${f.kernel}`);
    }
    assert.ok(bn);
    // The profile says what this computer's cache is and where that came from (any machine of this kind may lack sysfs's cache folder).
    const t = new LocalTransport();
    const cache = await readLastLevelCache(t).finally(() => t.close());
    assert.deepEqual(p.profile.cache, cache);
    if (cache.bytes === null) {
      assert.equal(p.profile.cold, undefined, 'no cache size, no cold lines');
    } else {
      // Cache-cold copies of the compute cases give the cold lines, used for models whose weights exceed this computer's cache.
      assert.ok(p.profile.cold);
      assert.equal(p.profile.cold.cacheBytes, cache.bytes);
      assert.deepEqual(p.profile.cold.compute.map((l) => `${l.layerType}/${l.kernel}`).sort(), ['conv/1', 'conv/3', 'conv/5', 'conv/7', 'depthwise/3', 'depthwise/5', 'depthwise/7', 'fc/null']);
      assert.ok(p.coldFit?.every((g) => g.residuals.length === 2 && g.residuals.every((r) => r.caseId.endsWith('-cold'))));
    }
  });

  test('cancel then resume finishes with no case measured twice', async () => {
    const started = await s.startCalibration({ deviceId: 'local', suite: 'quick', casesPerGroup: 2, transfer: false, anchors: false });
    // Cancel once the first chunk is stored.
    while (listMeasurements(s.db, started.runId).length === 0) await new Promise((r) => setTimeout(r, 50));
    await s.cancelJob({ runId: started.runId });
    await s.idle();
    const cancelled = await s.calibrationStatus({ runId: started.runId });
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.done > 0 && cancelled.done < cancelled.total, `${cancelled.done} of ${cancelled.total}`);
    await s.startCalibration({ deviceId: 'local', suite: 'quick', resumeRunId: started.runId });
    await s.idle();
    const done = await s.calibrationStatus({ runId: started.runId });
    assert.equal(done.status, 'done', done.message);
    const ids = listMeasurements(s.db, started.runId).map((m) => m.caseId);
    assert.equal(ids.length, done.total);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('a cancel while the anchor models are timed keeps the anchors timed; resume times only the rest', async () => {
    const started = await s.startCalibration({ deviceId: 'local', suite: 'quick', casesPerGroup: 2, transfer: false });
    const anchorKeys = (): string[] => ((getRun(s.db, started.runId).result ?? {}) as { anchorTimings?: { key: string }[] }).anchorTimings?.map((t) => t.key) ?? [];
    while (anchorKeys().length < 2) await new Promise((r) => setTimeout(r, 50));
    await s.cancelJob({ runId: started.runId });
    await s.idle();
    const cancelled = await s.calibrationStatus({ runId: started.runId });
    assert.equal(cancelled.status, 'cancelled', cancelled.message);
    const kept = anchorKeys();
    assert.ok(kept.length >= 2 && cancelled.done < cancelled.total, `${cancelled.done} of ${cancelled.total}`);
    await s.startCalibration({ deviceId: 'local', suite: 'quick', resumeRunId: started.runId });
    await s.idle();
    const done = await s.calibrationStatus({ runId: started.runId });
    assert.equal(done.status, 'done', done.message);
    const keys = anchorKeys();
    assert.deepEqual(keys.slice(0, kept.length), kept, 'the anchors timed before the cancel are kept as they were');
    assert.equal(keys.length, 2 * anchorModels().length);
    assert.equal(new Set(keys).size, keys.length, 'no anchor timed twice in one pass');
    assert.ok((await s.showProfile({ id: done.profileId! })).inModel);
  });

  test('a run left running by a process that is gone shows as failed and resumable', async () => {
    const started = await s.startCalibration({ deviceId: 'local', suite: 'quick', casesPerGroup: 1, transfer: false, anchors: false });
    await s.idle();
    // As if a studio with a pid that no longer exists had stopped mid-run.
    updateRun(s.db, started.runId, 'running', { pid: 2 ** 22 + 1 });
    const st = await s.calibrationStatus({ runId: started.runId });
    assert.equal(st.status, 'failed');
    assert.match(st.message, /interrupted.*resume/);
    assert.equal(getRun(s.db, started.runId).status, 'failed');
  });

  test('validation with 3 small models over the API returns sane figures', async () => {
    const v = await dispatchStudioCall(s, 'startValidation', { deviceId: 'local', profileId, models: ['alexnet', 'alexnet', 'vgg11'] }) as { runId: string };
    await s.idle();
    const st = await s.validationStatus({ runId: v.runId });
    assert.equal(st.status, 'done', st.message);
    const r = st.report;
    assert.ok(r);
    assert.equal(r.models.length, 3);
    for (const m of r.models) {
      assert.ok(m.measuredMs > 0 && m.estimatedMs > 0);
      assert.ok(Math.abs(m.errorPct - ((m.estimatedMs - m.measuredMs) / m.measuredMs) * 100) < 1e-9);
      const layerEstimate = m.layers.reduce((sum, l) => sum + l.estimatedMs, 0);
      assert.ok(Math.abs(layerEstimate - m.estimatedMs) < 1e-9, 'the model estimate is the sum of its layers');
    }
    // vgg11 has ~4.7x alexnet's MACCs: it must measure slower.
    assert.ok(r.models[2].measuredMs > r.models[0].measuredMs);
    assert.ok(r.within10Pct >= 0 && r.within10Pct <= 1 && r.within5Pct <= r.within10Pct);
  });

  test('bad requests are refused by the validators with the field named', async () => {
    await assert.rejects(dispatchStudioCall(s, 'startCalibration', { deviceId: 'local', suite: 'huge' }), /suite/);
    await assert.rejects(dispatchStudioCall(s, 'trustHostKey', { host: 'h', port: 22, fingerprint: 'MD5:xx' }), /fingerprint/);
    await assert.rejects(s.startCalibration({ deviceId: 'ssh:nobody@nowhere:22', suite: 'quick' }).then(async (st) => {
      await s.idle();
      const f = await s.calibrationStatus({ runId: st.runId });
      throw new Error(f.message);
    }), /no SSH device "ssh:nobody@nowhere:22" is stored/);
  });
});
