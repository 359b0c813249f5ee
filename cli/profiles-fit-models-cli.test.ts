import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCliHome } from './run-cli.ts';
import { openStore } from '../profiles/open-store.ts';
import { createProfilesService } from '../services/profiles-service.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { validationModels } from '../profiler/validation/validation-set.ts';
import { estimateLatency } from '../latency/estimate.ts';
import { ELEMENT_LAYER_TYPES, type ComputeLine, type DeviceProfile } from '../latency/device-profile.ts';
import type { FitProfileFromModelsResult } from '../api/studio-api.ts';

const cli = createCliHome();
after(() => cli.dispose());

/** A board whose layers cost one slope per group and 0.04 ms each. */
const SLOPES = { conv: 1.2e-6, depthwise: 6e-6, fc: 4e-7 };
const line = (layerType: ComputeLine['layerType'], kernel: number | null): ComputeLine => ({ layerType, kernel, slopeMsPerMacc: SLOPES[layerType], interceptMs: 0.04 });
const board: DeviceProfile = {
  formatVersion: 1,
  name: 'board',
  device: { id: 'board-1' },
  compute: [...[1, 3, 5, 7, 11].map((k) => line('conv', k)), ...[3, 5, 7].map((k) => line('depthwise', k)), line('fc', null)],
  elementLines: ELEMENT_LAYER_TYPES.map((layerType) => ({ layerType, slopeMsPerElement: 3e-6, interceptMs: 0.04 })),
  otherLayerMs: 0.04,
  transfer: [],
};
const times = validationModels().map((spec) => {
  const a = analyzeModel(spec);
  return { name: spec.name, ms: estimateLatency(a, a.layers.length, board, null, 1).totalMs };
});
const csvFile = join(cli.home, 'times.csv');
writeFileSync(csvFile, ['# whole-model timings of board-1', 'MS,Model', ...times.map((t) => `${t.ms},"${t.name}"`)].join('\n') + '\n');

function withProfiles<T>(fn: (p: ReturnType<typeof createProfilesService>) => T): T {
  const db = openStore(cli.home);
  try {
    return fn(createProfilesService(db));
  } finally {
    db.close();
  }
}

describe('edgetree profiles fit-models', () => {
  test('from scratch: prints the leave-one-out table and stores a profile with the slopes of the timings', () => {
    const r = cli.run('profiles', 'fit-models', csvFile, '--device', 'board-1', '--name', 'from models');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^stored profile 1: device board-1, "from models" version 1, fitted from scratch\n/);
    assert.match(r.stdout, /conv 1\.2000 ms per MMACC, depthwise 6\.0000 ms per MMACC, fc 0\.4000 ms per MMACC, zero-MACC 3\.0000 ms per M elements; per-layer overhead 0\.0400 ms \(5 unknowns\)/);
    assert.match(r.stdout, /\nmodel +measured ms +left out: est\. ms +error +stored fit: est\. ms +error\n/);
    for (const t of times) {
      const row = r.stdout.split('\n').find((l) => l.startsWith(`${t.name} `));
      assert.ok(row !== undefined, `no row for ${t.name}`);
      assert.match(row, /^\S+ +[\d.,]+ +[\d.,]+ +[+-]0\.0% +[\d.,]+ +[+-]0\.0%$/, row);
    }
    assert.match(r.stdout, /\nleave-one-out: 21 of 21 models \(100%\) within ±10%, mean signed error [+-]0\.0%, MAPE 0\.0%\n/);
    assert.match(r.stdout, /\nstored fit \(in sample\): 21 of 21 models \(100%\) within ±10%/);
    const stored = withProfiles((p) => p.loadProfile('1'));
    assert.deepEqual([stored.name, stored.device.id], ['from models', 'board-1']);
    for (const l of stored.compute) {
      assert.ok(Math.abs(l.slopeMsPerMacc / SLOPES[l.layerType] - 1) < 1e-9 && Math.abs(l.interceptMs / 0.04 - 1) < 1e-9, `${l.layerType} ${l.kernel}`);
    }
  });

  test('--profile adjusts a stored profile 20% low into a new version within 1%; --json prints one document', () => {
    const low: DeviceProfile = {
      ...board,
      compute: board.compute.map((l) => ({ ...l, slopeMsPerMacc: l.slopeMsPerMacc * 0.8, interceptMs: l.interceptMs * 0.8 })),
      elementLines: board.elementLines!.map((l) => ({ ...l, slopeMsPerElement: l.slopeMsPerElement * 0.8, interceptMs: l.interceptMs * 0.8 })),
      otherLayerMs: 0.032,
    };
    const baseId = withProfiles((p) => p.importProfile({ fileName: 'low.json', content: JSON.stringify(low) }).id);
    const r = cli.run('profiles', 'fit-models', csvFile, '--profile', baseId, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const fit = r.json<FitProfileFromModelsResult>();
    assert.deepEqual([fit.mode, fit.baseProfileId, fit.profile.deviceId, fit.profile.name, fit.profile.version], ['adjust', baseId, 'board-1', 'board', 2]);
    assert.equal(fit.leaveOneOut.rows.length, 21);
    assert.equal(fit.leaveOneOut.within10Pct, 1);
    for (const row of fit.inSample.rows) assert.ok(Math.abs(row.errorPct) < 1, `${row.name} ${row.errorPct}`);
    const conv = fit.groups.find((g) => g.group === 'conv')!;
    assert.ok(Math.abs(conv.value / 1.25 - 1) < 0.01, `conv x${conv.value}`);
    const stored = withProfiles((p) => p.loadProfile(fit.profile.id));
    assert.ok(Math.abs(stored.compute[1].slopeMsPerMacc / SLOPES.conv - 1) < 0.01);
  });

  test('an unknown model is refused by name and line, and nothing is stored; a fit from scratch needs --name', () => {
    const bad = join(cli.home, 'bad.csv');
    writeFileSync(bad, ['model,ms', ...times.slice(0, 6).map((t) => `${t.name},${t.ms}`), 'vgg12,4.5'].join('\n'));
    const before = withProfiles((p) => p.listProfiles().length);
    const r = cli.run('profiles', 'fit-models', bad, '--device', 'board-1', '--name', 'x', '--json');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const err = r.json<{ error: { name: string; message: string } }>().error;
    assert.equal(err.name, 'UnknownModelError');
    assert.match(err.message, /bad\.csv, line 8, column 'model': unknown model 'vgg12'/);
    assert.equal(withProfiles((p) => p.listProfiles().length), before);
    const usage = cli.run('profiles', 'fit-models', csvFile, '--device', 'board-1');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--name is required/);
  });
});
