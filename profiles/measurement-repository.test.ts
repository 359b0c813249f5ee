import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './open-store.ts';
import { createRun } from './run-repository.ts';
import { insertMeasurement, listMeasurements, measuredCaseIds } from './measurement-repository.ts';
import { StoreConflictError } from './errors.ts';
import type { Measurement } from '../profiler/measurement.ts';

function measurement(caseId: string, medianMs: number): Measurement {
  return {
    caseId, kind: 'conv', kernel: 3, macc: 1_000_000, medianMs, p25Ms: medianMs - 0.1, p75Ms: medianMs + 0.1,
    minMs: medianMs - 0.2, maxMs: medianMs + 0.5, repeats: 5, runner: 'tfjs-node', backend: 'wasm (simd)',
    measuredAt: '2025-01-01T00:00:00.000Z',
  };
}

describe('measurement repository', () => {
  test('stores measurements per run, in arrival order, and lists what a resume skips', () => {
    const home = mkdtempSync(join(tmpdir(), 'edgetree-meas-'));
    try {
      const db = openStore(home);
      const a = createRun(db, 'calibration', { suite: 'quick' });
      const b = createRun(db, 'calibration', { suite: 'quick' });
      insertMeasurement(db, a.id, measurement('conv-2', 2.5));
      insertMeasurement(db, a.id, measurement('conv-1', 1.25));
      insertMeasurement(db, b.id, measurement('conv-1', 9));
      const got = listMeasurements(db, a.id);
      assert.deepEqual(got.map((m) => m.caseId), ['conv-2', 'conv-1']);
      assert.deepEqual(got[0], measurement('conv-2', 2.5));
      assert.deepEqual([...measuredCaseIds(db, a.id)].sort(), ['conv-1', 'conv-2']);
      assert.deepEqual([...measuredCaseIds(db, b.id)], ['conv-1']);
      // The same case twice in one run is refused, and the first value stays.
      assert.throws(() => insertMeasurement(db, a.id, measurement('conv-1', 7)), (e: unknown) =>
        e instanceof StoreConflictError && /run \d+: case "conv-1" is already measured/.test(e.message));
      assert.equal(listMeasurements(db, a.id)[1].medianMs, 1.25);
      // A measurement must belong to a stored run.
      assert.throws(() => insertMeasurement(db, '999', measurement('x', 1)), /run 999: no such run/);
      db.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
